//! The routeguide.RouteGuide service of the gRPC guides, one method of each RPC kind, over a
//! small built-in list of features: GetFeature, ListFeatures, RecordRoute and RouteChat.

use std::{collections::HashMap, fmt, pin::Pin, time::Duration};

use futures_util::Stream;
use tokio::time::Instant;
use tonic::{Request, Response, Status, Streaming};

use super::{deadline, paced::paced};
use crate::routeguide::{
    Feature, Point, Rectangle, RouteNote, RouteSummary, route_guide_server::RouteGuide,
};

/// The first features of the gRPC examples' `route_guide_db.json`: name, latitude, longitude.
#[rustfmt::skip]
const FEATURES: &[(&str, i32, i32)] = &[
    ("Patriots Path, Mendham, NJ 07945, USA", 407838351, -746143763),
    ("101 New Jersey 10, Whippany, NJ 07981, USA", 408122808, -743999179),
    ("U.S. 6, Shohola, PA 18458, USA", 413628156, -749015468),
    ("5 Conners Road, Kingston, NY 12401, USA", 419999544, -740371136),
    ("Mid Hudson Psychiatric Center, New Hampton, NY 10958, USA", 414008389, -743951297),
    ("287 Flugertown Road, Livingston Manor, NY 12758, USA", 419611318, -746524769),
    ("4001 Tremley Point Road, Linden, NJ 07036, USA", 406109563, -742186778),
    ("352 South Mountain Road, Wallkill, NY 12589, USA", 416802456, -742370183),
    ("Bailey Turn Road, Harriman, NY 10926, USA", 412950425, -741077389),
    ("193-199 Wawayanda Road, Hewitt, NJ 07421, USA", 412144655, -743949739),
    ("406-496 Ward Avenue, Pine Bush, NY 12566, USA", 415736605, -742847522),
    ("162 Merrill Road, Highland Mills, NY 10930, USA", 413843930, -740501726),
    ("Clinton Road, West Milford, NJ 07480, USA", 410873075, -744459023),
    ("16 Old Brook Lane, Warwick, NY 10990, USA", 412346009, -744026814),
    ("3 Drake Lane, Pennington, NJ 08534, USA", 402948455, -747903913),
    ("6324 8th Avenue, Brooklyn, NY 11220, USA", 406337092, -740122226),
    ("1 Merck Access Road, Whitehouse Station, NJ 08889, USA", 406421967, -747727624),
    ("78-98 Schalck Road, Narrowsburg, NY 12764, USA", 416318082, -749677716),
    ("282 Lakeview Drive Road, Highland Lake, NY 12743, USA", 415301720, -748416257),
    ("330 Evelyn Avenue, Hamilton Township, NJ 08619, USA", 402647019, -747071791),
];

/// Coordinates are degrees times 10^7 (E7).
const E7: f64 = 1e7;
/// The earth's radius used by the examples' distances, in metres.
const EARTH_RADIUS: f64 = 6_371_000.0;
/// The largest latitude and longitude, in E7.
const MAX_LATITUDE: i32 = 900_000_000;
const MAX_LONGITUDE: i32 = 1_800_000_000;

/// routeguide.RouteGuide over the built-in features.
#[derive(Debug, Clone)]
pub struct RouteGuideService {
    /// Wait before each ListFeatures feature.
    stream_interval: Duration,
}

impl RouteGuideService {
    pub fn new(stream_interval: Duration) -> RouteGuideService {
        RouteGuideService { stream_interval }
    }
}

type FeatureStream = Pin<Box<dyn Stream<Item = Result<Feature, Status>> + Send>>;
type NoteStream = Pin<Box<dyn Stream<Item = Result<RouteNote, Status>> + Send>>;

#[tonic::async_trait]
impl RouteGuide for RouteGuideService {
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let point = request.into_inner();
        check(&point, "the point")?;
        let feature = feature_at(&point).map_or_else(
            || Feature {
                name: String::new(),
                location: Some(point),
            },
            feature,
        );
        Ok(Response::new(feature))
    }

    type ListFeaturesStream = FeatureStream;

    async fn list_features(
        &self,
        request: Request<Rectangle>,
    ) -> Result<Response<Self::ListFeaturesStream>, Status> {
        let deadline = deadline::deadline(request.metadata());
        let rectangle = request.into_inner();
        // A missing corner is 0,0, as in the examples.
        let lo = rectangle.lo.unwrap_or_default();
        let hi = rectangle.hi.unwrap_or_default();
        check(&lo, "the rectangle's lo corner")?;
        check(&hi, "the rectangle's hi corner")?;
        let found: Vec<Feature> = FEATURES
            .iter()
            .filter(|&&(_, latitude, longitude)| inside(latitude, longitude, &lo, &hi))
            .map(feature)
            .collect();
        let total = found.len();
        Ok(Response::new(Box::pin(paced(
            found.into_iter(),
            self.stream_interval,
            deadline,
            move |sent| format!("deadline exceeded after {sent} of {total} features"),
        ))))
    }

    async fn record_route(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        let mut points = request.into_inner();
        let mut route = Route::default();
        // A client that leaves ends the call here, as CANCELLED.
        while let Some(point) = points.message().await.map_err(client_gone)? {
            route.add(point)?;
        }
        Ok(Response::new(route.summary()))
    }

    type RouteChatStream = NoteStream;

    async fn route_chat(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<Self::RouteChatStream>, Status> {
        Ok(Response::new(Box::pin(chat(request.into_inner()))))
    }
}

/// A request stream that broke because its client went away (a connection closed with the call
/// half-sent, which tonic reports as UNKNOWN) ends the call as CANCELLED, as a client that
/// resets the stream does. Statuses of the stream's own (a message over the size limit, say)
/// stay as they are.
fn client_gone(status: Status) -> Status {
    if status.code() == tonic::Code::Unknown && std::error::Error::source(&status).is_some() {
        Status::cancelled("the client went away before it finished sending")
    } else {
        status
    }
}

/// A built-in feature as a message.
fn feature(&(name, latitude, longitude): &(&str, i32, i32)) -> Feature {
    Feature {
        name: name.to_owned(),
        location: Some(Point {
            latitude,
            longitude,
        }),
    }
}

/// The built-in feature at exactly `point`, if there is one.
fn feature_at(point: &Point) -> Option<&'static (&'static str, i32, i32)> {
    FEATURES.iter().find(|&&(_, latitude, longitude)| {
        (latitude, longitude) == (point.latitude, point.longitude)
    })
}

/// Whether latitude, longitude lies in the rectangle with corners `a` and `b` (either way
/// round), edges included.
fn inside(latitude: i32, longitude: i32, a: &Point, b: &Point) -> bool {
    let latitudes = a.latitude.min(b.latitude)..=a.latitude.max(b.latitude);
    let longitudes = a.longitude.min(b.longitude)..=a.longitude.max(b.longitude);
    latitudes.contains(&latitude) && longitudes.contains(&longitude)
}

/// INVALID_ARGUMENT unless `point` is on the earth: latitudes ±90° and longitudes ±180°.
fn check(point: &Point, what: impl fmt::Display) -> Result<(), Status> {
    let out_of_range = |name: &str, value: i32, max: i32| {
        Status::invalid_argument(format!(
            "{name} {value} of {what} is out of range: {name}s are -{max} to {max} \
             (degrees times 10^7)"
        ))
    };
    if !(-MAX_LATITUDE..=MAX_LATITUDE).contains(&point.latitude) {
        return Err(out_of_range("latitude", point.latitude, MAX_LATITUDE));
    }
    if !(-MAX_LONGITUDE..=MAX_LONGITUDE).contains(&point.longitude) {
        return Err(out_of_range("longitude", point.longitude, MAX_LONGITUDE));
    }
    Ok(())
}

/// The great-circle distance between two points in metres (the haversine formula).
fn distance(from: &Point, to: &Point) -> f64 {
    let degrees = |e7: i32| f64::from(e7) / E7;
    let (lat_1, lat_2) = (degrees(from.latitude), degrees(to.latitude));
    let (lon_1, lon_2) = (degrees(from.longitude), degrees(to.longitude));
    let delta_lat = (lat_2 - lat_1).to_radians();
    let delta_lon = (lon_2 - lon_1).to_radians();
    let a = (delta_lat / 2.0).sin().powi(2)
        + lat_1.to_radians().cos() * lat_2.to_radians().cos() * (delta_lon / 2.0).sin().powi(2);
    // Rounding can take `a` a hair past 1 for antipodes, where the root would be NaN.
    let a = a.clamp(0.0, 1.0);
    let c = 2.0 * a.sqrt().atan2((1.0 - a).sqrt());
    EARTH_RADIUS * c
}

/// The points of a RecordRoute so far.
#[derive(Debug, Default)]
struct Route {
    points: i32,
    features: i32,
    metres: f64,
    last: Option<Point>,
    /// When the first point arrived.
    started: Option<Instant>,
}

impl Route {
    fn add(&mut self, point: Point) -> Result<(), Status> {
        check(&point, format_args!("point {}", i64::from(self.points) + 1))?;
        self.started.get_or_insert_with(Instant::now);
        self.points = self.points.saturating_add(1);
        if feature_at(&point).is_some() {
            self.features = self.features.saturating_add(1);
        }
        if let Some(last) = &self.last {
            self.metres += distance(last, &point);
        }
        self.last = Some(point);
        Ok(())
    }

    /// The summary when the route ends now: whole metres and whole seconds, as the examples
    /// round them (down).
    fn summary(&self) -> RouteSummary {
        let seconds = self.started.map_or(0, |s| s.elapsed().as_secs());
        RouteSummary {
            point_count: self.points,
            feature_count: self.features,
            // A float-to-int cast saturates, so a very long route gives i32::MAX.
            distance: self.metres as i32,
            elapsed_time: i32::try_from(seconds).unwrap_or(i32::MAX),
        }
    }
}

/// The notes of one RouteChat: for each note that arrives, the earlier notes of this call at
/// the same location, then the note is kept. Replies go out as the notes come in.
fn chat(notes: Streaming<RouteNote>) -> impl Stream<Item = Result<RouteNote, Status>> + Send {
    futures_util::stream::unfold(Some(Chat::new(notes)), |chat| async move {
        let mut chat = chat?;
        let reply = chat.next().await?;
        let going_on = reply.is_ok();
        Some((reply, going_on.then_some(chat)))
    })
}

/// The state of one RouteChat.
struct Chat {
    notes: Streaming<RouteNote>,
    heard: Heard,
    /// Replies to the latest note not yet sent.
    due: std::vec::IntoIter<RouteNote>,
}

impl Chat {
    fn new(notes: Streaming<RouteNote>) -> Chat {
        Chat {
            notes,
            heard: Heard::default(),
            due: Vec::new().into_iter(),
        }
    }

    /// The next reply; None when the client has finished and every reply is sent.
    async fn next(&mut self) -> Option<Result<RouteNote, Status>> {
        loop {
            if let Some(reply) = self.due.next() {
                return Some(Ok(reply));
            }
            let note = match self.notes.message().await {
                Ok(Some(note)) => note,
                Ok(None) => return None,
                Err(status) => return Some(Err(client_gone(status))),
            };
            match self.heard.hear(note) {
                Ok(earlier) => self.due = earlier.into_iter(),
                Err(status) => return Some(Err(status)),
            }
        }
    }
}

/// The notes of one RouteChat so far.
#[derive(Debug, Default)]
struct Heard {
    /// By location, each list in the order the notes came.
    by_location: HashMap<(i32, i32), Vec<RouteNote>>,
    count: u64,
}

impl Heard {
    /// Keeps `note` and returns the earlier notes at its location. A note without a location is
    /// at 0,0, as in the examples.
    fn hear(&mut self, note: RouteNote) -> Result<Vec<RouteNote>, Status> {
        self.count += 1;
        let at = note.location.unwrap_or_default();
        check(&at, format_args!("the location of note {}", self.count))?;
        let here = self
            .by_location
            .entry((at.latitude, at.longitude))
            .or_default();
        let earlier = here.clone();
        here.push(note);
        Ok(earlier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: i32, longitude: i32) -> Point {
        Point {
            latitude,
            longitude,
        }
    }

    #[tokio::test]
    async fn get_feature_finds_a_feature_or_names_none() {
        let guide = RouteGuideService::new(Duration::ZERO);
        let hit = guide
            .get_feature(Request::new(point(407838351, -746143763)))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(hit.name, "Patriots Path, Mendham, NJ 07945, USA");
        let miss = guide
            .get_feature(Request::new(point(1, 2)))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(miss.name, "");
        assert_eq!(miss.location, Some(point(1, 2)));
    }

    #[tokio::test]
    async fn points_off_the_earth_are_invalid() {
        let guide = RouteGuideService::new(Duration::ZERO);
        let cases = [
            (
                point(900_000_001, 0),
                "latitude 900000001 of the point is out of range: latitudes are -900000000 to \
                 900000000 (degrees times 10^7)",
            ),
            (
                point(0, -1_800_000_001),
                "longitude -1800000001 of the point is out of range: longitudes are \
                 -1800000000 to 1800000000 (degrees times 10^7)",
            ),
        ];
        for (bad, message) in cases {
            let status = guide.get_feature(Request::new(bad)).await.unwrap_err();
            assert_eq!(status.code(), tonic::Code::InvalidArgument);
            assert_eq!(status.message(), message);
        }
        let edge = guide
            .get_feature(Request::new(point(-900_000_000, 1_800_000_000)))
            .await;
        assert!(edge.is_ok(), "the poles and the date line are on the earth");

        let rectangle = Rectangle {
            lo: Some(point(0, 0)),
            hi: Some(point(i32::MAX, 0)),
        };
        let Err(status) = guide.list_features(Request::new(rectangle)).await else {
            panic!("a corner off the earth was accepted");
        };
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(
            status.message().contains("hi corner"),
            "{}",
            status.message()
        );
    }

    #[test]
    fn the_rectangle_includes_its_edges_either_way_round() {
        let (latitude, longitude) = (408122808, -743999179);
        let (a, b) = (point(latitude, longitude), point(400000000, -750000000));
        assert!(inside(latitude, longitude, &a, &b));
        assert!(inside(latitude, longitude, &b, &a));
        assert!(!inside(latitude, longitude, &point(0, 0), &b));
        assert!(!inside(latitude, longitude + 1, &a, &b));
        assert!(inside(0, 0, &point(0, 0), &point(0, 0)));
        assert!(!inside(0, 1, &point(0, 0), &point(0, 0)));
    }

    #[test]
    fn distances_are_those_of_the_examples() {
        let (mendham, whippany) = (point(407838351, -746143763), point(408122808, -743999179));
        // What the Python example's get_distance gives: 18327.35… metres.
        let metres = distance(&mendham, &whippany);
        assert!((metres - 18_327.353_691).abs() < 1e-3, "{metres}");
        assert_eq!(distance(&mendham, &mendham), 0.0);
        let half_way_round = distance(&point(0, 0), &point(0, 1_800_000_000));
        assert!(
            (half_way_round - 20_015_086.796).abs() < 1e-2,
            "{half_way_round}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_route_counts_points_features_metres_and_seconds() {
        assert_eq!(Route::default().summary(), RouteSummary::default());

        let mut route = Route::default();
        route.add(point(407838351, -746143763)).unwrap();
        tokio::time::advance(Duration::from_millis(2500)).await;
        route.add(point(1, 1)).unwrap();
        route.add(point(408122808, -743999179)).unwrap();
        let err = route.add(point(0, i32::MIN)).unwrap_err();
        assert_eq!(
            err.message(),
            "longitude -2147483648 of point 4 is out of range: longitudes are -1800000000 to \
             1800000000 (degrees times 10^7)"
        );
        tokio::time::advance(Duration::from_millis(600)).await;
        let summary = route.summary();
        assert_eq!(summary.point_count, 3);
        assert_eq!(summary.feature_count, 2);
        assert_eq!(summary.elapsed_time, 3, "whole seconds, rounded down");
        let expected = distance(&point(407838351, -746143763), &point(1, 1))
            + distance(&point(1, 1), &point(408122808, -743999179));
        assert_eq!(summary.distance, expected as i32);
    }

    #[test]
    fn notes_come_back_at_their_location() {
        let mut heard = Heard::default();
        let mut hear = |location: Option<Point>, message: &str| -> Vec<String> {
            let note = RouteNote {
                location,
                message: message.into(),
            };
            let earlier = heard.hear(note).unwrap();
            earlier.into_iter().map(|n| n.message).collect()
        };
        assert!(hear(Some(point(1, 1)), "first").is_empty());
        assert!(hear(Some(point(2, 2)), "second").is_empty());
        assert_eq!(hear(Some(point(1, 1)), "third"), ["first"]);
        assert_eq!(hear(Some(point(1, 1)), "fourth"), ["first", "third"]);
        assert!(hear(None, "nowhere").is_empty());
        assert_eq!(hear(Some(point(0, 0)), "origin"), ["nowhere"]);

        let status = heard
            .hear(RouteNote {
                location: Some(point(-900_000_001, 0)),
                message: String::new(),
            })
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(
            status
                .message()
                .starts_with("latitude -900000001 of the location of note 7 is"),
            "{}",
            status.message()
        );
    }
}
