//! Request messages from JSON (`-d`): a sequence of proto3 JSON objects, one after another
//! (NDJSON, or values separated by any whitespace), read one at a time as the input arrives,
//! so a slow producer or a terminal drives a client stream interactively.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::PathBuf,
};

use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor};
use tokio::sync::{mpsc, oneshot};

pub use crate::settings::RequestData;
use crate::{
    exit::UsageError,
    settings::{UnknownFields, bound, io_words, named},
};

impl RequestData {
    /// `-d`'s value: `@-` is stdin, `@FILE` a file, anything else the JSON itself.
    pub fn from_arg(arg: Option<&str>) -> RequestData {
        match arg {
            None => RequestData::None,
            Some("@-") => RequestData::Stdin,
            Some(arg) => match arg.strip_prefix('@') {
                Some(path) => RequestData::File(PathBuf::from(path)),
                None => RequestData::Inline(arg.to_owned()),
            },
        }
    }

    /// A reader of the input's messages; `None` without `-d`. A file or stdin is read as it
    /// arrives, never whole, and its errors say which it is.
    fn open(
        &self,
        descriptor: &MessageDescriptor,
        unknown: UnknownFields,
    ) -> Result<Option<MessageReader<Box<dyn Read + Send>>>, UsageError> {
        let (input, origin): (Box<dyn Read + Send>, _) = match self {
            RequestData::None => return Ok(None),
            RequestData::Inline(text) => {
                (Box::new(io::Cursor::new(text.clone().into_bytes())), None)
            }
            RequestData::Stdin => (Box::new(io::stdin()), Some("-d @-".to_owned())),
            RequestData::File(path) => {
                let file = File::open(path).map_err(|err| {
                    UsageError(format!("{}: {}", named("-d", path), io_words(&err)))
                })?;
                (Box::new(file), Some(named("-d", path)))
            }
        };
        let mut reader = MessageReader::new(input, descriptor.clone(), unknown);
        reader.origin = origin;
        Ok(Some(reader))
    }
}

/// The one request of a unary or server-streaming call: an empty message without `-d` or with
/// an empty input; more than one message is an error.
pub fn read_one(
    data: &RequestData,
    descriptor: &MessageDescriptor,
    method: &str,
    unknown: UnknownFields,
) -> Result<DynamicMessage, UsageError> {
    let Some(mut reader) = data.open(descriptor, unknown)? else {
        return Ok(DynamicMessage::new(descriptor.clone()));
    };
    let first = reader
        .next_message()?
        .unwrap_or_else(|| DynamicMessage::new(descriptor.clone()));
    if reader
        .skip_whitespace()
        .map_err(|err| reader.io_error(&err))?
    {
        let (line, column) = reader.position();
        return Err(UsageError(format!(
            "{method} takes one request message, and the input has more (message 2 at line \
             {line}, column {column})"
        )));
    }
    Ok(first)
}

/// [`read_one`] on a thread of its own, for input that may take time to arrive (a file, or a
/// terminal that is still being typed into), so that Ctrl-C and the deadline still work.
pub fn read_one_in_background(
    data: &RequestData,
    descriptor: &MessageDescriptor,
    method: &str,
    unknown: UnknownFields,
) -> Result<oneshot::Receiver<Result<DynamicMessage, UsageError>>, UsageError> {
    let (tx, rx) = oneshot::channel();
    let (data, descriptor, method) = (data.clone(), descriptor.clone(), method.to_owned());
    std::thread::Builder::new()
        .name("request".into())
        .spawn(move || {
            let _ = tx.send(read_one(&data, &descriptor, &method, unknown));
        })
        .map_err(|err| UsageError(format!("cannot start reading the request: {err}")))?;
    Ok(rx)
}

/// The requests of a client-streaming or bidi call, parsed on a thread of their own and
/// handed over as they come; an error ends the sequence. Without `-d` there are none.
pub fn read_stream(
    data: &RequestData,
    descriptor: &MessageDescriptor,
    unknown: UnknownFields,
) -> Result<mpsc::Receiver<Result<DynamicMessage, UsageError>>, UsageError> {
    // A small queue: requests are parsed just ahead of sending, never read whole.
    let (tx, rx) = mpsc::channel(16);
    let Some(mut reader) = data.open(descriptor, unknown)? else {
        return Ok(rx);
    };
    // A plain thread, not the runtime's blocking pool: a read from a terminal may never end,
    // and the process must not wait for it on the way out.
    let spawned = std::thread::Builder::new()
        .name("requests".into())
        .spawn(move || {
            loop {
                let next = match reader.next_message() {
                    Ok(Some(message)) => Ok(message),
                    Ok(None) => return,
                    Err(err) => Err(err),
                };
                let failed = next.is_err();
                if tx.blocking_send(next).is_err() || failed {
                    return;
                }
            }
        });
    spawned.map_err(|err| UsageError(format!("cannot start reading requests: {err}")))?;
    Ok(rx)
}

/// Parses request messages one at a time, knowing where each starts for its errors.
pub struct MessageReader<R> {
    input: Positioned<R>,
    descriptor: MessageDescriptor,
    /// How many messages have been read.
    count: usize,
    /// `-d @FILE` or `-d @-`, to begin errors with; `None` for `-d JSON`.
    origin: Option<String>,
    /// How messages are read: refusing fields the message does not have, or skipping them.
    options: DeserializeOptions,
}

impl<R: Read> MessageReader<R> {
    pub fn new(
        input: R,
        descriptor: MessageDescriptor,
        unknown: UnknownFields,
    ) -> MessageReader<R> {
        MessageReader {
            input: Positioned {
                inner: BufReader::with_capacity(64 * 1024, input),
                line: 1,
                column: 1,
                budget: bound::REQUEST_MESSAGE,
            },
            descriptor,
            count: 0,
            origin: None,
            options: DeserializeOptions::new()
                .deny_unknown_fields(unknown == UnknownFields::Refuse),
        }
    }

    /// `message`, after the input's name when it is a file or stdin.
    fn error(&self, message: String) -> UsageError {
        match &self.origin {
            Some(origin) => UsageError(format!("{origin}: {message}")),
            None => UsageError(message),
        }
    }

    /// The next message, or `None` at the end of the input.
    pub fn next_message(&mut self) -> Result<Option<DynamicMessage>, UsageError> {
        if !self.skip_whitespace().map_err(|err| self.io_error(&err))? {
            return Ok(None);
        }
        // Each message is bounded, not the input: a stream may go on as long as it likes.
        self.input.budget = bound::REQUEST_MESSAGE;
        self.count += 1;
        let (line, column) = self.position();
        let index = self.count;
        let at = |line: usize, column: usize| {
            format!("request message {index} (line {line}, column {column})")
        };
        match self.input.inner.fill_buf().map(|b| b.first().copied()) {
            Ok(Some(b'{')) => {}
            Ok(Some(b'[')) => {
                return Err(self.error(format!(
                    "{}: a JSON array; give the messages one after another (NDJSON), not in \
                     an array",
                    at(line, column)
                )));
            }
            Ok(_) => {
                return Err(self.error(format!("{}: expected a JSON object", at(line, column))));
            }
            Err(err) => return Err(self.io_error(&err)),
        }
        let mut json = serde_json::Deserializer::from_reader(&mut self.input);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        match DynamicMessage::deserialize_with_options(
            self.descriptor.clone(),
            tracked,
            &self.options,
        ) {
            Ok(message) => Ok(Some(message)),
            Err(_) if self.input.budget == 0 => Err(self.error(format!(
                "{}: more than {} of JSON for one message",
                at(line, column),
                bound::shown(bound::REQUEST_MESSAGE)
            ))),
            Err(err) => {
                // serde_json counts from where this message began.
                let (err_line, err_column) = (err.line(), err.column());
                let (line, column) = if err_line <= 1 {
                    (line, column + err_column.saturating_sub(1))
                } else {
                    (line + err_line - 1, err_column)
                };
                let path = track.path().to_string();
                let reason = if err.is_eof() {
                    "the input ended inside the message".to_owned()
                } else {
                    without_position(&err.to_string())
                };
                let field = if path.is_empty() || path == "." || path == "?" {
                    String::new()
                } else {
                    format!("field {path}: ")
                };
                Err(self.error(format!("{}: {field}{reason}", at(line, column))))
            }
        }
    }

    /// Skips whitespace; whether anything follows.
    fn skip_whitespace(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.input.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let spaces = buf
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .count();
            let any_left = spaces < buf.len();
            self.input.consume_counted(spaces);
            if any_left {
                return Ok(true);
            }
        }
    }

    fn position(&self) -> (usize, usize) {
        (self.input.line, self.input.column)
    }

    fn io_error(&self, err: &io::Error) -> UsageError {
        let origin = self.origin.as_deref().unwrap_or("-d");
        UsageError(format!("{origin}: {}", io_words(err)))
    }
}

/// serde_json appends "at line L column C" counted from the message's start; the caller says
/// where the message is instead.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// A reader that knows the line and column of the next byte.
struct Positioned<R> {
    inner: BufReader<R>,
    line: usize,
    column: usize,
    /// How many more bytes the message being parsed may take.
    budget: u64,
}

impl<R: Read> Positioned<R> {
    /// Consumes `n` bytes that `fill_buf` has shown, counting them.
    fn consume_counted(&mut self, n: usize) {
        let Positioned {
            inner,
            line,
            column,
            ..
        } = self;
        if let Ok(buf) = inner.fill_buf() {
            let n = n.min(buf.len());
            advance(line, column, &buf[..n]);
            inner.consume(n);
        }
    }
}

fn advance(line: &mut usize, column: &mut usize, bytes: &[u8]) {
    for &b in bytes {
        if b == b'\n' {
            *line += 1;
            *column = 1;
        } else {
            *column += 1;
        }
    }
}

impl<R: Read> Read for Positioned<R> {
    /// The parser's reads, which stop at the message's bound.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::other("over the bound"));
        }
        let most = buf
            .len()
            .min(usize::try_from(self.budget).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..most])?;
        self.budget -= n as u64;
        advance(&mut self.line, &mut self.column, &buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost_reflect::DescriptorPool;

    fn point() -> MessageDescriptor {
        let pool = DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET).unwrap();
        pool.get_message_by_name("routeguide.Point").unwrap()
    }

    fn read_all(text: &str) -> Result<Vec<String>, String> {
        read_all_with(text, UnknownFields::Refuse)
    }

    fn read_all_with(text: &str, unknown: UnknownFields) -> Result<Vec<String>, String> {
        let mut reader = MessageReader::new(text.as_bytes(), point(), unknown);
        let mut messages = Vec::new();
        loop {
            match reader.next_message() {
                Ok(Some(m)) => messages.push(serde_json::to_string(&m).unwrap()),
                Ok(None) => return Ok(messages),
                Err(err) => return Err(err.0),
            }
        }
    }

    #[test]
    fn reads_ndjson_and_concatenated_values() {
        let text = "{\"latitude\": 1}\n{\"longitude\": \"2\"}{}  \n\n {\"latitude\":-3}\n";
        assert_eq!(
            read_all(text).unwrap(),
            [
                "{\"latitude\":1}",
                "{\"longitude\":2}",
                "{}",
                "{\"latitude\":-3}"
            ]
        );
        assert_eq!(read_all("").unwrap(), Vec::<String>::new());
        assert_eq!(read_all(" \n ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn errors_say_which_message_where_and_which_field() {
        let err = read_all("{\"latitude\": 1}\n{\"latitude\": 2, \"nope\": 3}").unwrap_err();
        assert!(
            err.starts_with("request message 2 (line 2, column "),
            "{err}"
        );
        assert!(err.contains("nope"), "{err}");

        let err = read_all("{}\n  {\"latitude\": \"north\"}").unwrap_err();
        assert!(
            err.starts_with("request message 2 (line 2, column "),
            "{err}"
        );
        assert!(err.contains("latitude"), "{err}");

        let err = read_all("[{\"latitude\": 1}]").unwrap_err();
        assert_eq!(
            err,
            "request message 1 (line 1, column 1): a JSON array; give the messages one after \
             another (NDJSON), not in an array"
        );

        let err = read_all("{\"latitude\": 1").unwrap_err();
        assert!(err.ends_with("the input ended inside the message"), "{err}");

        let err = read_all("{\"latitude\": }").unwrap_err();
        assert!(
            err.starts_with("request message 1 (line 1, column 14): "),
            "{err}"
        );
    }

    #[test]
    fn unknown_fields_are_refused_unless_skipped() {
        let text = "{\"latitude\": 1, \"altitude\": 3}\n{\"nope\": {\"a\": [1]}}";
        let err = read_all(text).unwrap_err();
        assert!(err.contains("altitude"), "{err}");
        let read = read_all_with(text, UnknownFields::Skip).unwrap();
        assert_eq!(read, vec!["{\"latitude\":1}", "{}"]);
    }

    #[test]
    fn one_message_for_unary_calls() {
        let point = point();
        let data = RequestData::Inline("{\"latitude\": 5}".into());
        let one = read_one(&data, &point, "m", UnknownFields::Refuse).unwrap();
        assert_eq!(serde_json::to_string(&one).unwrap(), "{\"latitude\":5}");
        let empty = read_one(&RequestData::None, &point, "m", UnknownFields::Refuse).unwrap();
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        let two = RequestData::Inline("{}\n{}".into());
        let err = read_one(
            &two,
            &point,
            "routeguide.RouteGuide/GetFeature",
            UnknownFields::Refuse,
        )
        .unwrap_err()
        .0;
        assert_eq!(
            err,
            "routeguide.RouteGuide/GetFeature takes one request message, and the input has \
             more (message 2 at line 2, column 1)"
        );
    }

    #[test]
    fn data_arguments() {
        assert_eq!(RequestData::from_arg(None), RequestData::None);
        assert_eq!(RequestData::from_arg(Some("@-")), RequestData::Stdin);
        assert_eq!(
            RequestData::from_arg(Some("@req.json")),
            RequestData::File("req.json".into())
        );
        assert_eq!(
            RequestData::from_arg(Some("{}")),
            RequestData::Inline("{}".into())
        );
    }
}
