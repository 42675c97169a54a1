//! Who is calling, and whether they may.
//!
//! Every `/api/v1` call carries `Authorization: Bearer <token>`. The store keeps only the
//! SHA-256 of each token and answers with the token's person and role; this module turns
//! that into a [`Caller`] and asks `corral_model::Role::allows` the one question the whole
//! installation asks the same way. Ownership rules ("members edit their own assets") are
//! checked here too, against the asset, so handlers read as the rule they enforce.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use corral_model::{Action, Asset, Role};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub token_id: Uuid,
    pub token_name: String,
    pub email: String,
    pub role: Role,
}

impl Caller {
    pub fn can(&self, action: Action) -> bool {
        self.role.allows(action)
    }

    /// Refuses with 403 unless the caller's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.can(action) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "the {} role cannot {}",
                self.role,
                describe(action)
            )))
        }
    }

    /// Refuses unless the caller may do `any` to every asset, or `own` to this one because
    /// they own, back up or created it.
    pub fn require_on_asset(
        &self,
        asset: &Asset,
        own: Action,
        any: Action,
    ) -> Result<(), ApiError> {
        if self.can(any) || (self.can(own) && asset.is_owned_by(&self.email)) {
            return Ok(());
        }
        if self.can(own) {
            Err(ApiError::forbidden(format!(
                "only the owner, backup owner or creator of `{}` (or an admin) can {}",
                asset.name,
                describe(any)
            )))
        } else {
            Err(ApiError::forbidden(format!(
                "the {} role cannot {}",
                self.role,
                describe(any)
            )))
        }
    }
}

/// What an action is, in words, for refusals.
fn describe(action: Action) -> &'static str {
    match action {
        Action::ViewAssets => "view assets",
        Action::RegisterAsset => "register assets",
        Action::EditOwnAsset | Action::EditAnyAsset => "edit this asset",
        Action::AttestOwnAsset | Action::AttestAnyAsset => "attest this asset",
        Action::SecurityReview => "act as security reviewer",
        Action::BusinessSignoff => "act as business approver",
        Action::OverrideRisk => "override risk tiers",
        Action::ViewAudit => "read the audit log",
        Action::VerifyAudit => "verify the audit log",
        Action::ManageTokens => "manage API tokens",
        Action::ManagePeople => "off-board people",
        Action::ViewNotifications => "view notification status",
        Action::ManageSettings => "change settings",
        Action::UploadAnyScan => "upload scans for this asset",
        Action::ImportAdvisories => "import advisory data",
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthenticated("this endpoint needs an API token"))?;
        let value = header
            .to_str()
            .map_err(|_| ApiError::unauthenticated("the Authorization header is not text"))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
            })?;
        let found = state
            .store
            .authenticate_token(token, Utc::now())
            .await
            .map_err(ApiError::internal)?;
        let token = found.ok_or_else(|| {
            ApiError::unauthenticated("this token is unknown, revoked or expired")
        })?;
        Ok(Caller {
            token_id: token.id,
            token_name: token.name,
            email: token.email,
            role: token.role,
        })
    }
}
