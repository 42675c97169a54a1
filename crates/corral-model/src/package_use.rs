//! Assets as the answer to "who uses package X?" and "what does advisory Y affect?".
//!
//! Both answers are built from stored inventories and carry what a person needs to act: the
//! asset, its owners and department, and the declaration or advisory match that put it in
//! the answer.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::advisory_match::AdvisoryMatch;
use crate::component::Component;

/// An asset and the people to contact about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetContact {
    pub asset_id: Uuid,
    pub asset_name: String,
    pub owner_email: String,
    #[serde(default)]
    pub backup_owner_email: Option<String>,
    pub department: String,
}

/// A declaration of a package in an asset's inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageUse {
    #[serde(flatten)]
    pub asset: AssetContact,
    pub component: Component,
}

/// An asset an advisory affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedAsset {
    #[serde(flatten)]
    pub asset: AssetContact,
    #[serde(rename = "match")]
    pub advisory_match: AdvisoryMatch,
}
