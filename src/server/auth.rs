//! `--token-file`: every call must carry `authorization: Bearer <token>`.

use std::sync::Arc;

use subtle::ConstantTimeEq as _;
use tonic::{Request, Status, service::Interceptor};

/// Checks the bearer token of each call; lets every call through when no token is set.
#[derive(Clone, Default)]
pub struct BearerAuth {
    /// The whole expected header value, `Bearer <token>`.
    expected: Option<Arc<[u8]>>,
}

impl BearerAuth {
    pub fn new(token: Option<&str>) -> BearerAuth {
        BearerAuth {
            expected: token.map(|t| format!("Bearer {t}").into_bytes().into()),
        }
    }
}

impl Interceptor for BearerAuth {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        let Some(expected) = &self.expected else {
            return Ok(request);
        };
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
        let mut auth = BearerAuth::new(Some("s3cret"));
        assert_eq!(call(&mut auth, Some("Bearer s3cret")), Ok(()));
        let unauthenticated = Err(tonic::Code::Unauthenticated);
        assert_eq!(call(&mut auth, Some("Bearer s3cre")), unauthenticated);
        assert_eq!(call(&mut auth, Some("Bearer s3cretX")), unauthenticated);
        assert_eq!(call(&mut auth, Some("s3cret")), unauthenticated);
        assert_eq!(call(&mut auth, None), unauthenticated);
    }

    #[test]
    fn no_token_lets_everything_through() {
        assert_eq!(call(&mut BearerAuth::new(None), None), Ok(()));
    }
}
