//! Refuses methods a key may not call with NO_PERMISSION.
//!
//! Which card sides a key may read is known only once the card is read: the service
//! checks that (`service.rs`), with the same reason.

use http::request::Parts;

use super::{
    gate::{method_of, Check},
    Caller,
};
use crate::grpc::AccessError;

/// See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct CheckPermission;

impl Check for CheckPermission {
    async fn check(&self, request: &mut Parts) -> Result<(), AccessError> {
        let Some(Caller(key)) = request.extensions.get::<Caller>() else {
            return Ok(());
        };
        let method = method_of(request.uri.path());
        if key.may_call(method) {
            Ok(())
        } else {
            Err(AccessError::MethodNotAllowed {
                method: method.to_owned(),
            })
        }
    }
}
