//! API errors: one JSON shape for every failure, with a status that says whose fault it is.
//!
//! Every error answers `{"error": {"code", "message", "help"?, "fields"?, "existing"?}}`.
//! Validation errors (422) list each field with the rule it broke, all at once; a duplicate
//! registration (409) points at the asset that already exists; internal errors (500) are
//! logged in full and answered with a generic sentence, so database details never leak.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use corral_client::wire::{AssetRef, ErrorBody, ErrorDetail};
use corral_model::review::ReviewError;
use corral_model::validation::{FieldError, ValidationErrors};
use corral_store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: Box<ErrorDetail>,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            detail: Box::new(ErrorDetail {
                code: code.into(),
                message: message.into(),
                help: None,
                fields: Vec::new(),
                existing: None,
            }),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.detail.help = Some(help.into());
        self
    }

    pub fn validation(errors: ValidationErrors) -> Self {
        let n = errors.0.len();
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            if n == 1 {
                format!("{}: {}", errors.0[0].field, errors.0[0].rule)
            } else {
                format!("{n} fields need attention: {errors}")
            },
        );
        e.detail.fields = errors.0;
        e
    }

    /// One field broke one rule.
    pub fn field(field: &str, rule: impl Into<String>) -> Self {
        Self::validation(ValidationErrors(vec![FieldError {
            field: field.into(),
            rule: rule.into(),
        }]))
    }

    pub fn duplicate(field: &str, existing: AssetRef) -> Self {
        let mut e = Self::new(
            StatusCode::CONFLICT,
            "duplicate",
            format!(
                "an asset with this {field} is already registered: `{}`",
                existing.name
            ),
        )
        .with_help(format!(
            "update the existing asset ({}) instead of registering it again",
            existing.href
        ));
        e.detail.existing = Some(existing);
        e
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message).with_help(
            "send `Authorization: Bearer <token>`; an admin issues tokens with `corral token issue`",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete this request; the details are in its log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: *self.detail,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(c) => ApiError::duplicate(
                c.field.as_str(),
                AssetRef {
                    id: c.existing_id,
                    name: c.existing_name.clone(),
                    href: format!("/api/v1/assets/{}", c.existing_id),
                },
            ),
            StoreError::NotFound { kind, id } => ApiError::not_found(format!("no {kind} `{id}`")),
            StoreError::Invalid(message) => ApiError::bad_request(message),
            other => ApiError::internal(other),
        }
    }
}

impl From<ReviewError> for ApiError {
    fn from(err: ReviewError) -> Self {
        match &err {
            ReviewError::CommentRequired(_) => ApiError::field("comment", err.to_string()),
            ReviewError::Closed(_) | ReviewError::AlreadySigned { .. } => {
                ApiError::conflict(err.to_string())
            }
            ReviewError::OwnWork(_) | ReviewError::NotAReviewer(_) => {
                ApiError::forbidden(err.to_string())
            }
        }
    }
}

impl From<corral_model::policy::PolicyError> for ApiError {
    fn from(err: corral_model::policy::PolicyError) -> Self {
        ApiError::internal(err)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
