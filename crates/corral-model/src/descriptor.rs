//! The repository descriptor: the `[asset]` table of a repository's `corral.toml`.
//!
//! A team that keeps its script in a repository describes it once, in the repository, in the
//! spirit of Backstage's `catalog-info.yaml`; CI then registers or updates it with
//! `corral register --descriptor corral.toml` and nobody fills a form twice.
//!
//! ```toml
//! [asset]
//! name = "lead-scoring"
//! purpose = "Scores inbound leads every morning so sales calls the warmest first."
//! creator = "ana@example.com"
//! department = "Sales"
//! owner = "ana@example.com"          # optional, defaults to the creator
//! backup_owner = "kim@example.com"   # optional
//! data_tier = 2                      # 1 public, 2 internal, 3 confidential, 4 regulated
//! ai_tool = "Claude Code 2.1"
//! status = "development"             # development, production, decommissioned
//! repository = "https://git.example.com/sales/lead-scoring"
//! systems = ["Salesforce:reads", "Slack:writes"]
//! ```

use serde::Deserialize;

use crate::asset::{AiTool, AssetDraft, DeploymentStatus};
use crate::tier::{DataTier, SystemAccess};

/// The `[asset]` table as written by people; converted to an [`AssetDraft`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Descriptor {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub creator: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub backup_owner: Option<String>,
    #[serde(default)]
    pub data_tier: Option<DataTier>,
    #[serde(default)]
    pub ai_tool: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub systems: Vec<String>,
}

/// A descriptor value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[asset] {field}: {message}")]
pub struct DescriptorError {
    pub field: String,
    pub message: String,
}

impl Descriptor {
    /// Converts to a draft; validation of required fields happens in [`AssetDraft::validate`].
    pub fn into_draft(self) -> Result<AssetDraft, DescriptorError> {
        let ai_tool = self
            .ai_tool
            .map(|t| t.parse::<AiTool>())
            .transpose()
            .map_err(|message| DescriptorError {
                field: "ai_tool".into(),
                message,
            })?;
        let status = self
            .status
            .map(|s| s.parse::<DeploymentStatus>())
            .transpose()
            .map_err(|e| DescriptorError {
                field: "status".into(),
                message: e.to_string(),
            })?;
        let systems = self
            .systems
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.parse::<SystemAccess>().map_err(|e| DescriptorError {
                    field: format!("systems[{i}]"),
                    message: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AssetDraft {
            name: self.name,
            purpose: self.purpose,
            creator_email: self.creator,
            department: self.department,
            owner_email: self.owner,
            backup_owner_email: self.backup_owner,
            data_tier: self.data_tier,
            ai_tool,
            status,
            repository: self.repository,
            systems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tier::Access;

    #[test]
    fn a_descriptor_becomes_a_valid_draft() {
        let d: Descriptor = serde_json::from_value(serde_json::json!({
            "name": "lead-scoring",
            "purpose": "Scores leads.",
            "creator": "ana@example.com",
            "department": "Sales",
            "data_tier": 2,
            "ai_tool": "Claude Code 2.1",
            "status": "development",
            "systems": ["Salesforce:writes"]
        }))
        .unwrap();
        let draft = d.into_draft().unwrap();
        assert_eq!(draft.systems[0].access, Access::Writes);
        assert!(draft.validate().is_ok());
    }

    #[test]
    fn a_bad_value_names_the_descriptor_field() {
        let d = Descriptor {
            systems: vec!["CRM:delete".into()],
            ..Default::default()
        };
        let err = d.into_draft().unwrap_err();
        assert_eq!(err.field, "systems[0]");
        assert!(err.to_string().starts_with("[asset] systems[0]:"));
    }
}
