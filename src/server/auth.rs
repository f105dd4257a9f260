//! `--token-file`: every call must carry `authorization: Bearer <token>`.

use std::sync::Arc;

use subtle::ConstantTimeEq as _;
use tonic::{
    Request, Status,
    service::{Interceptor, interceptor::InterceptedService},
};

/// Checks the bearer token of each call.
#[derive(Clone)]
pub struct BearerAuth {
    /// The whole expected header value, `Bearer <token>`.
    expected: Arc<[u8]>,
}

impl BearerAuth {
    pub fn new(token: &str) -> BearerAuth {
        BearerAuth {
            expected: format!("Bearer {token}").into_bytes().into(),
        }
    }
}

/// A service as it is served: behind the token check when there is a token, untouched (with no
/// interceptor to pass through) when there is none. The router takes whichever is `Some`.
pub fn behind<S>(
    service: Option<S>,
    auth: Option<&BearerAuth>,
) -> (Option<S>, Option<InterceptedService<S, BearerAuth>>) {
    match (service, auth) {
        (Some(service), Some(auth)) => (None, Some(InterceptedService::new(service, auth.clone()))),
        (service, _) => (service, None),
    }
}

impl Interceptor for BearerAuth {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        let expected = &self.expected;
        let Some(given) = request.metadata().get("authorization") else {
            return Err(Status::unauthenticated(
                "this server requires 'authorization: Bearer <token>'",
            ));
        };
        // Constant time, so the comparison does not tell how much of a guess was right.
        if bool::from(given.as_bytes().ct_eq(expected)) {
            Ok(request)
        } else {
            Err(Status::unauthenticated("the bearer token is not valid"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(auth: &mut BearerAuth, header: Option<&str>) -> Result<(), tonic::Code> {
        let mut request = Request::new(());
        if let Some(value) = header {
            request
                .metadata_mut()
                .insert("authorization", value.parse().unwrap());
        }
        auth.call(request).map(drop).map_err(|s| s.code())
    }

    #[test]
    fn checks_the_bearer_token() {
        let mut auth = BearerAuth::new("s3cret");
        assert_eq!(call(&mut auth, Some("Bearer s3cret")), Ok(()));
        let unauthenticated = Err(tonic::Code::Unauthenticated);
        assert_eq!(call(&mut auth, Some("Bearer s3cre")), unauthenticated);
        assert_eq!(call(&mut auth, Some("Bearer s3cretX")), unauthenticated);
        assert_eq!(call(&mut auth, Some("s3cret")), unauthenticated);
        assert_eq!(call(&mut auth, None), unauthenticated);
    }
}
