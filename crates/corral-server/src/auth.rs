//! Who is calling, and whether they may.
//!
//! Every `/api/v1` call carries `Authorization: Bearer <token>`. The store keeps only the
//! SHA-256 of each token and answers with the token's person and role; this module turns
//! that into a [`Caller`] and asks `corral_model::Role::allows` the one question the whole
//! installation asks the same way. Ownership rules ("members edit their own assets") are
//! checked here too, against the asset, so handlers read as the rule they enforce.
//!
//! The web console signs people in with sessions instead of tokens; both become an
//! [`Actor`], which is what the workflow functions shared by the API and the console take.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use corral_model::{Action, Asset, Role};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller of an `/api/v1` request: the API token it presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub token_id: Uuid,
    pub token_name: String,
    pub email: String,
    pub role: Role,
}

impl Caller {
    /// The person acting, for the workflow functions the API and the console share.
    pub fn actor(&self) -> Actor {
        Actor {
            email: self.email.clone(),
            role: self.role,
            token_name: Some(self.token_name.clone()),
        }
    }

    pub fn can(&self, action: Action) -> bool {
        self.role.allows(action)
    }

    /// Refuses with 403 unless the caller's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        require_role(self.role, action)
    }

    /// Refuses unless the caller may do `any` to every asset, or `own` to this one because
    /// they own, back up or created it.
    pub fn require_on_asset(
        &self,
        asset: &Asset,
        own: Action,
        any: Action,
    ) -> Result<(), ApiError> {
        require_on_asset(self.role, &self.email, asset, own, any)
    }
}

/// Whoever acts on the registry, however they proved who they are: an API token
/// ([`Caller::actor`]) or a console session. The workflow functions take this, so the API
/// and the console run the same checks and record the same audit entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub email: String,
    pub role: Role,
    /// The API token's name when acting through the API; `None` in the console.
    pub token_name: Option<String>,
}

impl Actor {
    pub fn can(&self, action: Action) -> bool {
        self.role.allows(action)
    }

    /// Refuses with 403 unless the role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        require_role(self.role, action)
    }

    /// Refuses unless the actor may do `any` to every asset, or `own` to this one because
    /// they own, back up or created it.
    pub fn require_on_asset(
        &self,
        asset: &Asset,
        own: Action,
        any: Action,
    ) -> Result<(), ApiError> {
        require_on_asset(self.role, &self.email, asset, own, any)
    }
}

fn require_role(role: Role, action: Action) -> Result<(), ApiError> {
    if role.allows(action) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "the {role} role cannot {}",
            describe(action)
        )))
    }
}

fn require_on_asset(
    role: Role,
    email: &str,
    asset: &Asset,
    own: Action,
    any: Action,
) -> Result<(), ApiError> {
    if role.allows(any) || (role.allows(own) && asset.is_owned_by(email)) {
        return Ok(());
    }
    if role.allows(own) {
        Err(ApiError::forbidden(format!(
            "only the owner, backup owner or creator of `{}` (or an admin) can {}",
            asset.name,
            describe(any)
        )))
    } else {
        Err(ApiError::forbidden(format!(
            "the {role} role cannot {}",
            describe(any)
        )))
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
