//! Dependency inventories: the components of each asset's latest complete dependency scan,
//! and "who uses package X?".
//!
//! An upload that ran the dependency scanner over the whole asset replaces the asset's
//! inventory with its components, in one transaction, and records which scan it came from
//! (`inventory_state`): the advisory re-evaluation uses that to notice an inventory replaced
//! while it was working. Each component is stored with its name normalised per ecosystem
//! (`package`), given by the caller, so every spelling of a package is found by one indexed
//! lookup.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use corral_model::{AssetContact, Component, Ecosystem, PackageUse};
use uuid::Uuid;

use crate::columns::{RowReader, name_of, ts};
use crate::error::Result;
use crate::store::Store;
use crate::write_tx::WriteTx;

/// A component with its name as the ecosystem compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryItem {
    pub package: String,
    pub component: Component,
}

/// Which scan an asset's inventory came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryState {
    pub scan_id: Uuid,
    pub updated_at: DateTime<Utc>,
    pub components: u64,
}

/// One page of [`Store::package_uses`].
#[derive(Debug, Clone, PartialEq)]
pub struct PackageUsePage {
    pub items: Vec<PackageUse>,
    /// Declarations that passed the filter, over all pages.
    pub total: u64,
    /// Distinct assets among them.
    pub assets: u64,
}

const COMPONENT_COLUMNS: &str =
    "ecosystem, name, version, requirement, source, path, line, direct, license";

fn component_of(r: &RowReader<'_>) -> Result<Component> {
    Ok(Component {
        ecosystem: r.name("ecosystem")?,
        name: r.text("name")?,
        version: r.text_opt("version")?,
        requirement: r.text_opt("requirement")?,
        source: r.name("source")?,
        path: r.text("path")?,
        line: r
            .int_opt("line")?
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        direct: r.int("direct")? != 0,
        license: r.text_opt("license")?,
    })
}

impl WriteTx<'_> {
    /// Replaces the inventory of `asset_id` with `items`, from scan `scan_id`.
    pub async fn replace_inventory(
        &mut self,
        asset_id: Uuid,
        scan_id: Uuid,
        items: &[InventoryItem],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let asset = asset_id.to_string();
        sqlx::query("DELETE FROM inventory WHERE asset_id = $1")
            .bind(&asset)
            .execute(&mut *self.tx)
            .await?;
        // Several rows per statement: an inventory of hundreds of components is a handful of
        // round trips, not hundreds.
        const PER_STATEMENT: usize = 50;
        for (chunk_index, chunk) in items.chunks(PER_STATEMENT).enumerate() {
            let mut sql = String::from(
                "INSERT INTO inventory (asset_id, seq, ecosystem, package, name, version, \
                 requirement, source, path, line, direct, license) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 12;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11,
                    b + 12
                ));
            }
            let mut query = sqlx::query(&sql);
            for (i, item) in chunk.iter().enumerate() {
                let c = &item.component;
                let seq = (chunk_index * PER_STATEMENT + i) as i64;
                query = query
                    .bind(asset.clone())
                    .bind(seq)
                    .bind(c.ecosystem.as_str())
                    .bind(item.package.clone())
                    .bind(c.name.clone())
                    .bind(c.version.clone())
                    .bind(c.requirement.clone())
                    .bind(name_of(&c.source))
                    .bind(c.path.clone())
                    .bind(c.line.map(i64::from))
                    .bind(i64::from(c.direct))
                    .bind(c.license.clone());
            }
            query.execute(&mut *self.tx).await?;
        }
        sqlx::query(
            "INSERT INTO inventory_state (asset_id, scan_id, updated_at, components) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (asset_id) DO UPDATE SET \
             scan_id = excluded.scan_id, updated_at = excluded.updated_at, \
             components = excluded.components",
        )
        .bind(&asset)
        .bind(scan_id.to_string())
        .bind(ts(now))
        .bind(items.len() as i64)
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }

    /// Which scan the inventory of `asset_id` came from, read inside this transaction.
    pub async fn inventory_scan(&mut self, asset_id: Uuid) -> Result<Option<Uuid>> {
        let row = sqlx::query("SELECT asset_id, scan_id FROM inventory_state WHERE asset_id = $1")
            .bind(asset_id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|row| RowReader::new(&row, "inventory_state", "asset_id").uuid("scan_id"))
            .transpose()
    }
}

impl Store {
    /// The stored inventory of one asset, in the order the scan listed it.
    pub async fn inventory(&self, asset_id: Uuid) -> Result<Vec<InventoryItem>> {
        let rows = sqlx::query(&format!(
            "SELECT asset_id, package, {COMPONENT_COLUMNS} FROM inventory WHERE asset_id = $1 \
             ORDER BY seq"
        ))
        .bind(asset_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "inventory", "asset_id");
                Ok(InventoryItem {
                    package: r.text("package")?,
                    component: component_of(&r)?,
                })
            })
            .collect()
    }

    /// Which scan an asset's inventory came from; `None` before its first dependency scan.
    pub async fn inventory_state(&self, asset_id: Uuid) -> Result<Option<InventoryState>> {
        let row = sqlx::query(
            "SELECT asset_id, scan_id, updated_at, components FROM inventory_state \
             WHERE asset_id = $1",
        )
        .bind(asset_id.to_string())
        .fetch_optional(&self.pools.reader)
        .await?;
        row.map(|row| {
            let r = RowReader::new(&row, "inventory_state", "asset_id");
            Ok(InventoryState {
                scan_id: r.uuid("scan_id")?,
                updated_at: r.time("updated_at")?,
                components: u64::try_from(r.int("components")?).unwrap_or(0),
            })
        })
        .transpose()
    }

    /// Every package (ecosystem, normalised name) some inventory holds.
    pub async fn inventory_packages(&self) -> Result<Vec<(Ecosystem, String)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT ecosystem, package FROM inventory ORDER BY ecosystem, package",
        )
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "inventory", "package");
                Ok((r.name("ecosystem")?, r.text("package")?))
            })
            .collect()
    }

    /// Every declaration of one package, by asset, with the scan each inventory came from.
    pub async fn inventories_with_package(
        &self,
        ecosystem: Ecosystem,
        package: &str,
    ) -> Result<BTreeMap<Uuid, (Uuid, Vec<Component>)>> {
        let rows = sqlx::query(&format!(
            "SELECT i.asset_id, s.scan_id, {} FROM inventory i \
             JOIN inventory_state s ON s.asset_id = i.asset_id \
             WHERE i.ecosystem = $1 AND i.package = $2 ORDER BY i.asset_id, i.seq",
            prefixed("i", COMPONENT_COLUMNS)
        ))
        .bind(ecosystem.as_str())
        .bind(package)
        .fetch_all(&self.pools.reader)
        .await?;
        let mut by_asset: BTreeMap<Uuid, (Uuid, Vec<Component>)> = BTreeMap::new();
        for row in &rows {
            let r = RowReader::new(row, "inventory", "asset_id");
            let asset = r.uuid("asset_id")?;
            let scan = r.uuid("scan_id")?;
            by_asset
                .entry(asset)
                .or_insert_with(|| (scan, Vec::new()))
                .1
                .push(component_of(&r)?);
        }
        Ok(by_asset)
    }

    /// Who uses a package: its declarations in every inventory, with the asset's name and
    /// owners, ordered by asset name then path.
    ///
    /// `keep` decides on a declaration's exact version and declared requirement (a version
    /// range, say), before the page is cut, so `total` counts only those kept. It is asked
    /// once per distinct (version, requirement) pair rather than once per declaration: a
    /// package every asset uses has thousands of declarations but few such pairs, and the
    /// counting and paging then happen in the database instead of over every row.
    pub async fn package_uses(
        &self,
        ecosystem: Ecosystem,
        package: &str,
        keep: impl Fn(Option<&str>, Option<&str>) -> bool,
        limit: u32,
        offset: u64,
    ) -> Result<PackageUsePage> {
        let pairs = sqlx::query(
            "SELECT DISTINCT version, requirement FROM inventory \
             WHERE ecosystem = $1 AND package = $2",
        )
        .bind(ecosystem.as_str())
        .bind(package)
        .fetch_all(&self.pools.reader)
        .await?;
        let mut kept = Vec::new();
        let mut dropped = false;
        for row in &pairs {
            let r = RowReader::new(row, "inventory", "version");
            let (version, requirement) = (r.text_opt("version")?, r.text_opt("requirement")?);
            if keep(version.as_deref(), requirement.as_deref()) {
                kept.push((version, requirement));
            } else {
                dropped = true;
            }
        }
        if kept.is_empty() {
            return Ok(PackageUsePage {
                items: Vec::new(),
                total: 0,
                assets: 0,
            });
        }
        // Only when some pairs were left out does the query name the kept ones; NULL and ''
        // compare equal here, which is what they mean for a version or a requirement.
        let mut filter = String::new();
        if dropped {
            let terms = (0..kept.len())
                .map(|n| {
                    format!(
                        "(COALESCE(i.version, '') = ${} AND COALESCE(i.requirement, '') = ${})",
                        3 + 2 * n,
                        4 + 2 * n
                    )
                })
                .collect::<Vec<_>>();
            filter = format!(" AND ({})", terms.join(" OR "));
        }
        let count_sql = format!(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT i.asset_id) AS assets FROM inventory i \
             WHERE i.ecosystem = $1 AND i.package = $2{filter}"
        );
        let mut count = sqlx::query(&count_sql)
            .bind(ecosystem.as_str())
            .bind(package);
        if dropped {
            count = bind_pairs(count, &kept);
        }
        let counts = count.fetch_one(&self.pools.reader).await?;
        let r = RowReader::new(&counts, "inventory", "n");
        let (total, assets) = (r.int("n")?, r.int("assets")?);
        let page_at = 3 + 2 * if dropped { kept.len() } else { 0 };
        let page_sql = format!(
            "SELECT {CONTACT_COLUMNS}, {} FROM inventory i JOIN assets a ON a.id = i.asset_id \
             WHERE i.ecosystem = $1 AND i.package = $2{filter} ORDER BY a.name, i.path, i.seq \
             LIMIT ${page_at} OFFSET ${}",
            prefixed("i", COMPONENT_COLUMNS),
            page_at + 1
        );
        let mut query = sqlx::query(&page_sql)
            .bind(ecosystem.as_str())
            .bind(package);
        if dropped {
            query = bind_pairs(query, &kept);
        }
        let rows = query
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.reader)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let r = RowReader::new(row, "inventory", "asset_id");
            items.push(PackageUse {
                asset: contact_of(&r)?,
                component: component_of(&r)?,
            });
        }
        Ok(PackageUsePage {
            items,
            total: u64::try_from(total).unwrap_or(0),
            assets: u64::try_from(assets).unwrap_or(0),
        })
    }
}

/// Binds each (version, requirement) pair as two texts, NULL as ''.
fn bind_pairs<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    pairs: &[(Option<String>, Option<String>)],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for (version, requirement) in pairs {
        query = query
            .bind(version.clone().unwrap_or_default())
            .bind(requirement.clone().unwrap_or_default());
    }
    query
}

/// The asset columns a query selects for [`contact_of`] (the assets table as `a`).
pub(crate) const CONTACT_COLUMNS: &str =
    "a.id AS asset_id, a.name AS asset_name, a.owner_email, a.backup_owner_email, a.department";

/// An asset and its owners, from [`CONTACT_COLUMNS`].
pub(crate) fn contact_of(r: &RowReader<'_>) -> Result<AssetContact> {
    Ok(AssetContact {
        asset_id: r.uuid("asset_id")?,
        asset_name: r.text("asset_name")?,
        owner_email: r.text("owner_email")?,
        backup_owner_email: r.text_opt("backup_owner_email")?,
        department: r.text("department")?,
    })
}

/// `a, b` → `t.a, t.b`.
pub(crate) fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{table}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
