//! Request-body and query-string extractors whose errors are API errors.
//!
//! axum's own extractors answer a malformed body with plain text. These answer with the
//! standard error JSON, and a value that does not fit a field (an unknown data tier, a
//! misspelt key) is a 422 naming that field, found with `serde_path_to_error`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(ApiError::bad_request(
                "the request body must be JSON: send `Content-Type: application/json`",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("cannot read the request body: {e}")))?;
        decode(&bytes).map(ApiJson)
    }
}

/// Decodes JSON, naming the field that does not fit.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(format!("the request body is not valid JSON: {inner}"))
        } else {
            let field = if path == "." {
                "body".to_string()
            } else {
                path
            };
            ApiError::field(&field, strip_position(&inner.to_string()))
        }
    })
}

/// serde_json appends " at line 1 column 42", which means nothing to a form's user.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|err| {
                let path = err.path().to_string();
                let inner = err.into_inner().to_string();
                if path == "." {
                    ApiError::bad_request(format!("invalid query string: {inner}"))
                } else {
                    ApiError::field(&path, inner)
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::AssetDraft;

    #[test]
    fn a_value_that_does_not_fit_names_the_field() {
        let err = decode::<AssetDraft>(br#"{"name":"x","data_tier":7}"#).unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.detail.fields[0].field, "data_tier");
        assert!(
            err.detail.fields[0].rule.contains("unknown data tier"),
            "{:?}",
            err.detail
        );
        assert!(!err.detail.fields[0].rule.contains("line 1"));
    }

    #[test]
    fn an_unknown_key_is_named() {
        let err = decode::<AssetDraft>(br#"{"nmae":"x"}"#).unwrap_err();
        assert!(
            err.detail.fields[0].rule.contains("nmae"),
            "{:?}",
            err.detail
        );
    }

    #[test]
    fn broken_json_is_a_bad_request_not_a_field_error() {
        let err = decode::<AssetDraft>(b"{\"name\":").unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
    }
}
