//! The registry table: storing assets, finding them, and listing them fast.
//!
//! Every scalar field of an [`Asset`] is its own column, so lists filter and sort on indexes;
//! `systems` and the risk override are JSON. A few derived columns exist only for queries:
//! lower-cased copies of department and e-mails (case-insensitive filters that use an index
//! on both engines), the *effective* risk tier and its rank (for sorting critical first), the
//! normalised repository (see [`normalize_repository`]; unique, so one repository is one
//! asset). The free-text filter matches words through the `asset_terms` index
//! ([`crate::search_terms`]), kept in step by every insert and update here.
//!
//! A list's total is counted once per filter and remembered until the registry changes
//! ([`crate::count_cache`]).
//!
//! Names and repositories are unique. A collision is reported as [`StoreError::Conflict`] with
//! the existing asset's id and name, whether it is caught before the insert or, when two
//! registrations race on PostgreSQL, by the unique index itself.

use chrono::{DateTime, Utc};
use corral_model::asset::normalize_repository;
use corral_model::{ApprovalState, Asset, DataTier, DeploymentStatus, RiskTier};
use serde::{Deserialize, Serialize};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Executor, Row};
use uuid::Uuid;

use crate::columns::{RowReader, json, name_of, ts, ts_opt, value_rows, value_rows_after};
use crate::database::Backend;
use crate::error::{Conflict, ConflictField, Result, StoreError};
use crate::search_terms::{QueryWord, RARE_TERM_LIMIT, prefix_end, query_words, terms};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// Most assets one list call returns.
pub const MAX_PAGE_SIZE: u32 = 500;
/// Page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// What to sort a list by. Ties are broken by id, so pages never overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetSort {
    Name,
    /// Registration time (the default, newest first when descending).
    #[default]
    CreatedAt,
    UpdatedAt,
    DataTier,
    /// Effective risk tier: low < standard < critical.
    RiskTier,
    Status,
    Department,
    Owner,
}

impl AssetSort {
    fn column(self) -> &'static str {
        match self {
            AssetSort::Name => "name",
            AssetSort::CreatedAt => "created_at",
            AssetSort::UpdatedAt => "updated_at",
            AssetSort::DataTier => "data_tier",
            AssetSort::RiskTier => "risk_rank",
            AssetSort::Status => "status",
            AssetSort::Department => "department_key",
            AssetSort::Owner => "owner_key",
        }
    }
}

/// Filters, order and page for [`Store::list_assets`]. Every filter is optional; given
/// filters all apply (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetQuery {
    pub data_tier: Option<DataTier>,
    pub status: Option<DeploymentStatus>,
    pub approval: Option<ApprovalState>,
    /// The effective risk tier (override, else derived).
    pub risk_tier: Option<RiskTier>,
    /// Department, case-insensitive exact match.
    pub department: Option<String>,
    /// Owner e-mail, case-insensitive exact match.
    pub owner: Option<String>,
    /// Assets this person owns, backs up or created (case-insensitive).
    pub involving: Option<String>,
    /// Words that must each begin a word (case-insensitive) of the name, purpose, department,
    /// owner or repository: `pay` finds "payroll", `roll` does not.
    pub text: Option<String>,
    pub sort: AssetSort,
    pub descending: bool,
    /// Page size, at most [`MAX_PAGE_SIZE`]; 0 means [`DEFAULT_PAGE_SIZE`].
    pub limit: u32,
    pub offset: u64,
}

/// One page of a list, with the total number of matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetPage {
    pub items: Vec<Asset>,
    /// How many assets match the filters, over all pages.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// A value bound to a built query.
enum Bind {
    Text(String),
    Int(i64),
}

fn bind_all<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    binds: &'q [Bind],
) -> Query<'q, Any, AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Text(t) => query.bind(t.as_str()),
            Bind::Int(i) => query.bind(*i),
        };
    }
    query
}

/// `WHERE …` for `q`, with its bind values (placeholders numbered from `$1`).
fn where_clause(q: &AssetQuery, text: &TextPlan) -> (String, Vec<Bind>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut binds = Vec::new();
    let mut push = |binds: &mut Vec<Bind>, sql: &str, value: Bind| {
        binds.push(value);
        conditions.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(t) = q.data_tier {
        push(
            &mut binds,
            "data_tier = ?",
            Bind::Int(i64::from(t.number())),
        );
    }
    if let Some(s) = q.status {
        push(&mut binds, "status = ?", Bind::Text(name_of(&s)));
    }
    if let Some(a) = q.approval {
        push(&mut binds, "approval = ?", Bind::Text(name_of(&a)));
    }
    if let Some(r) = q.risk_tier {
        push(&mut binds, "risk_rank = ?", Bind::Int(risk_rank(r)));
    }
    if let Some(d) = q
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        push(
            &mut binds,
            "department_key = ?",
            Bind::Text(d.to_lowercase()),
        );
    }
    if let Some(o) = q.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        push(&mut binds, "owner_key = ?", Bind::Text(o.to_lowercase()));
    }
    if let Some(p) = q
        .involving
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        // One value, used three times: every `?` becomes the same placeholder.
        push(
            &mut binds,
            "(owner_key = ? OR backup_owner_key = ? OR creator_key = ?)",
            Bind::Text(p.to_lowercase()),
        );
    }
    for (word, how) in &text.words {
        let QueryWord::Prefix(prefix) = word else {
            conditions.push("1 = 0".into());
            continue;
        };
        binds.push(Bind::Text(prefix.clone()));
        binds.push(Bind::Text(prefix_end(prefix)));
        let (lo, hi) = (binds.len() - 1, binds.len());
        conditions.push(match how {
            WordMatch::Driving => format!(
                "id IN (SELECT asset_id FROM asset_terms WHERE term >= ${lo} AND term < ${hi})"
            ),
            WordMatch::Probing => format!(
                "EXISTS (SELECT 1 FROM asset_terms INDEXED BY asset_terms_asset WHERE asset_id = \
                 assets.id AND term >= ${lo} AND term < ${hi})"
            ),
        });
    }
    if conditions.is_empty() {
        (String::new(), binds)
    } else {
        (format!(" WHERE {}", conditions.join(" AND ")), binds)
    }
}

/// The filter and its values as one string: equal keys mean equal matches. Each value is
/// prefixed with its length, so no choice of values can make two different filters collide.
fn cache_key(filter: &str, binds: &[Bind]) -> String {
    use std::fmt::Write;
    let mut key = filter.to_string();
    for b in binds {
        let _ = match b {
            Bind::Text(t) => write!(key, "|t{}:{t}", t.len()),
            Bind::Int(i) => write!(key, "|i{i}"),
        };
    }
    key
}

/// How a query's free-text words become conditions.
#[derive(Debug, Default)]
struct TextPlan {
    words: Vec<(QueryWord, WordMatch)>,
}

impl TextPlan {
    /// Every word as a set of matching assets: right for counting, and for PostgreSQL.
    fn driving(words: &[QueryWord]) -> Self {
        Self {
            words: words
                .iter()
                .map(|w| (w.clone(), WordMatch::Driving))
                .collect(),
        }
    }
}

/// How one word is matched (see `search_terms.rs` for when each is fastest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordMatch {
    /// `id IN (assets with the word)`: the planner may start from the word's assets.
    Driving,
    /// `EXISTS (the word for this asset)`, one index probe per asset (SQLite's syntax): for
    /// checking assets found some other way, such as by walking the list order.
    Probing,
}

fn risk_rank(tier: RiskTier) -> i64 {
    match tier {
        RiskTier::Low => 1,
        RiskTier::Standard => 2,
        RiskTier::Critical => 3,
    }
}

const ASSET_COLUMNS: &str = "id, name, purpose, creator_email, department, owner_email, \
    backup_owner_email, data_tier, ai_tool_product, ai_tool_version, status, repository, \
    systems, derived_risk_tier, risk_override, approval, created_at, updated_at, \
    last_attested_at";

fn asset_of(row: &AnyRow) -> Result<Asset> {
    let r = RowReader::new(row, "assets", "id");
    let tier = r.int("data_tier")?;
    let data_tier = u8::try_from(tier)
        .ok()
        .and_then(DataTier::from_number)
        .ok_or_else(|| r.corrupt("data_tier", format!("{tier} is not a data tier")))?;
    Ok(Asset {
        id: r.uuid("id")?,
        name: r.text("name")?,
        purpose: r.text("purpose")?,
        creator_email: r.text("creator_email")?,
        department: r.text("department")?,
        owner_email: r.text("owner_email")?,
        backup_owner_email: r.text_opt("backup_owner_email")?,
        data_tier,
        ai_tool: corral_model::AiTool {
            product: r.text("ai_tool_product")?,
            version: r.text("ai_tool_version")?,
        },
        status: r.name("status")?,
        repository: r.text_opt("repository")?,
        systems: r.json("systems")?,
        derived_risk_tier: r.name("derived_risk_tier")?,
        risk_override: r.json_opt("risk_override")?,
        approval: r.name("approval")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
        last_attested_at: r.time_opt("last_attested_at")?,
    })
}

async fn fetch_asset<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    column: &str,
    value: &str,
) -> Result<Option<Asset>> {
    let row = sqlx::query(&format!(
        "SELECT {ASSET_COLUMNS} FROM assets WHERE {column} = $1"
    ))
    .bind(value)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(asset_of).transpose()
}

/// The asset (other than `except`) whose name or repository collides with `asset`'s.
async fn find_conflict<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    asset: &Asset,
    except: Option<Uuid>,
) -> Result<Option<Conflict>> {
    let repo_key = asset.repository.as_deref().map(normalize_repository);
    let rows = sqlx::query(
        "SELECT id, name, repository_key FROM assets WHERE (name = $1 OR repository_key = $2) \
         AND id <> $3",
    )
    .bind(&asset.name)
    .bind(repo_key.as_deref())
    .bind(except.map(|u| u.to_string()).unwrap_or_default())
    .fetch_all(executor)
    .await?;
    let mut found = None;
    for row in &rows {
        let r = RowReader::new(row, "assets", "id");
        let name = r.text("name")?;
        let field = if name == asset.name {
            ConflictField::Name
        } else {
            ConflictField::Repository
        };
        let conflict = Conflict {
            field,
            existing_id: r.uuid("id")?,
            existing_name: name,
        };
        // A name clash is the more useful message when both happen.
        if field == ConflictField::Name || found.is_none() {
            found = Some(conflict);
        }
    }
    Ok(found)
}

/// The columns [`searchable_text`] reads, for [`text_of_row`].
const TEXT_COLUMNS: &str = "id, name, purpose, department, owner_email, repository";

/// The fields free text matches: name, purpose, department, owner and repository.
fn searchable_text(asset: &Asset) -> String {
    format!(
        "{} {} {} {} {}",
        asset.name,
        asset.purpose,
        asset.department,
        asset.owner_email,
        asset.repository.as_deref().unwrap_or_default()
    )
}

/// [`searchable_text`] of a row holding [`TEXT_COLUMNS`].
fn text_of_row(row: &AnyRow) -> Result<String> {
    let field = |name: &str| row.try_get::<String, _>(name);
    Ok(format!(
        "{} {} {} {} {}",
        field("name")?,
        field("purpose")?,
        field("department")?,
        field("owner_email")?,
        row.try_get::<Option<String>, _>("repository")?
            .unwrap_or_default()
    ))
}

/// The stored searchable text of asset `id`, before a change.
async fn stored_text(conn: &mut sqlx::AnyConnection, id: &str) -> Result<Option<String>> {
    let row = sqlx::query(&format!("SELECT {TEXT_COLUMNS} FROM assets WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(text_of_row).transpose()
}

/// Brings the word index of asset `id` from the words of `old` to those of `new`, touching
/// only the words that changed: an edit to the status or the tier writes nothing here.
async fn update_terms(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    old: Option<&str>,
    new: &str,
) -> Result<()> {
    let old = old.map(terms).unwrap_or_default();
    let new = terms(new);
    let gone: Vec<&String> = old
        .iter()
        .filter(|t| new.binary_search(t).is_err())
        .collect();
    if !gone.is_empty() {
        let placeholders: Vec<String> = (2..gone.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "DELETE FROM asset_terms WHERE asset_id = $1 AND term IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(id);
        for term in gone {
            query = query.bind(term.as_str());
        }
        query.execute(&mut *conn).await?;
    }
    let added: Vec<(String, &str)> = new
        .into_iter()
        .filter(|t| old.binary_search(t).is_err())
        .map(|t| (t, id))
        .collect();
    insert_terms(conn, &added).await
}

/// Binds the id and every stored field of `asset` as `$1`…`$26`, in the column order of
/// `WriteTx::insert_asset`'s insert (which `update_asset`'s update numbers the same way).
fn bind_asset<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    asset: &'q Asset,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(asset.id.to_string())
        .bind(&asset.name)
        .bind(&asset.purpose)
        .bind(&asset.creator_email)
        .bind(&asset.department)
        .bind(asset.department.trim().to_lowercase())
        .bind(&asset.owner_email)
        .bind(asset.owner_email.to_lowercase())
        .bind(asset.backup_owner_email.as_deref())
        .bind(asset.backup_owner_email.as_deref().map(str::to_lowercase))
        .bind(asset.creator_email.to_lowercase())
        .bind(i64::from(asset.data_tier.number()))
        .bind(&asset.ai_tool.product)
        .bind(&asset.ai_tool.version)
        .bind(name_of(&asset.status))
        .bind(asset.repository.as_deref())
        .bind(asset.repository.as_deref().map(normalize_repository))
        .bind(json(&asset.systems))
        .bind(name_of(&asset.derived_risk_tier))
        .bind(asset.risk_override.as_ref().map(json))
        .bind(name_of(&asset.risk_tier()))
        .bind(risk_rank(asset.risk_tier()))
        .bind(name_of(&asset.approval))
        .bind(ts(asset.created_at))
        .bind(ts(asset.updated_at))
        .bind(ts_opt(asset.last_attested_at))
}

/// Word rows per statement: well under both engines' limits on bound values.
const TERM_ROWS: usize = 400;

/// Inserts `(term, asset id)` rows, several hundred per statement.
async fn insert_terms(conn: &mut sqlx::AnyConnection, rows: &[(String, &str)]) -> Result<()> {
    for chunk in rows.chunks(TERM_ROWS) {
        let sql = format!(
            "INSERT INTO asset_terms (term, asset_id) VALUES {}",
            value_rows(chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (term, id) in chunk {
            query = query.bind(term.as_str()).bind(*id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Builds the word index of every asset: the backfill of schema version 2.
pub(crate) async fn index_every_asset(conn: &mut sqlx::AnyConnection) -> Result<()> {
    let rows = sqlx::query(&format!("SELECT {TEXT_COLUMNS} FROM assets"))
        .fetch_all(&mut *conn)
        .await?;
    let mut texts = Vec::with_capacity(rows.len());
    for row in &rows {
        texts.push((row.try_get::<String, _>("id")?, text_of_row(row)?));
    }
    let pairs: Vec<(String, &str)> = texts
        .iter()
        .flat_map(|(id, text)| terms(text).into_iter().map(move |t| (t, id.as_str())))
        .collect();
    insert_terms(conn, &pairs).await
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl Store {
    /// The asset with this id.
    pub async fn asset(&self, id: Uuid) -> Result<Option<Asset>> {
        fetch_asset(&self.pools.reader, "id", &id.to_string()).await
    }

    /// The asset with this (unique) name.
    pub async fn asset_by_name(&self, name: &str) -> Result<Option<Asset>> {
        fetch_asset(&self.pools.reader, "name", name).await
    }

    /// The asset registered for this repository, in any URL form
    /// (`git@host:org/x.git` finds `https://host/org/x`).
    pub async fn asset_by_repository(&self, url: &str) -> Result<Option<Asset>> {
        fetch_asset(
            &self.pools.reader,
            "repository_key",
            &normalize_repository(url),
        )
        .await
    }

    /// One page of assets matching `query`, and how many match in all.
    pub async fn list_assets(&self, query: &AssetQuery) -> Result<AssetPage> {
        let limit = match query.limit {
            0 => DEFAULT_PAGE_SIZE,
            n => n.min(MAX_PAGE_SIZE),
        };
        let words = query.text.as_deref().map(query_words).unwrap_or_default();
        let (filter, binds) = where_clause(query, &self.plan_text(&words).await?);
        // Read before the page, so a change committing meanwhile can only make a cached total
        // newer than its tag (see `count_cache`).
        let generation = self.audit_len().await?;
        let direction = if query.descending { "DESC" } else { "ASC" };
        let sort = query.sort.column();
        let n = binds.len();
        let select = format!(
            "SELECT {ASSET_COLUMNS} FROM assets{filter} ORDER BY {sort} {direction}, id \
             {direction} LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        // PostgreSQL keeps one plan per prepared statement once it has seen it a few times,
        // made without the values. That suits every filter here but free text: the best plan
        // for a word in every tenth asset (walk the list order, check each asset's words)
        // reads the whole registry for a word in none (measured: 1.36 s on 100,000 assets),
        // where starting from the word's index entries takes a millisecond. So text queries
        // go unprepared, and PostgreSQL plans each with its words' real frequencies.
        let prepared = self.backend() != Backend::Postgres || words.is_empty();
        let rows = bind_all(sqlx::query(&select), &binds)
            .persistent(prepared)
            .bind(i64::from(limit))
            .bind(i64::try_from(query.offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.reader)
            .await?;
        let items = rows.iter().map(asset_of).collect::<Result<Vec<_>>>()?;
        let total = if query.offset == 0 && (items.len() as u32) < limit {
            items.len() as u64
        } else {
            let (filter, binds) = where_clause(query, &TextPlan::driving(&words));
            self.count_matching(&filter, &binds, generation, prepared)
                .await?
        };
        Ok(AssetPage {
            items,
            total,
            limit,
            offset: query.offset,
        })
    }

    /// How to match the words of a page query. PostgreSQL's planner chooses from its
    /// statistics; on SQLite the rarest word, if it is rare enough, drives the query and the
    /// others are probed, and with no rare word every word is probed along the list order.
    async fn plan_text(&self, words: &[QueryWord]) -> Result<TextPlan> {
        if self.backend() != Backend::Sqlite || words.is_empty() {
            return Ok(TextPlan::driving(words));
        }
        let mut rarest: Option<(usize, i64)> = None;
        for (i, word) in words.iter().enumerate() {
            let QueryWord::Prefix(prefix) = word else {
                continue;
            };
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM asset_terms WHERE term >= $1 \
                 AND term < $2 LIMIT $3) AS t",
            )
            .bind(prefix.as_str())
            .bind(prefix_end(prefix))
            .bind(RARE_TERM_LIMIT + 1)
            .fetch_one(&self.pools.reader)
            .await?;
            let n: i64 = row.try_get("n")?;
            if n <= RARE_TERM_LIMIT && rarest.is_none_or(|(_, least)| n < least) {
                rarest = Some((i, n));
            }
        }
        let driver = rarest.map(|(i, _)| i);
        Ok(TextPlan {
            words: words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let how = if driver == Some(i) {
                        WordMatch::Driving
                    } else {
                        WordMatch::Probing
                    };
                    (w.clone(), how)
                })
                .collect(),
        })
    }

    /// How many assets match `filter`, from the cache while the registry is unchanged.
    async fn count_matching(
        &self,
        filter: &str,
        binds: &[Bind],
        generation: u64,
        prepared: bool,
    ) -> Result<u64> {
        let key = cache_key(filter, binds);
        if let Some(total) = self.list_totals.get(&key, generation) {
            return Ok(total);
        }
        let count = format!("SELECT COUNT(*) AS n FROM assets{filter}");
        let row = bind_all(sqlx::query(&count), binds)
            .persistent(prepared)
            .fetch_one(&self.pools.reader)
            .await?;
        let total = u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0);
        self.list_totals.put(key, generation, total);
        Ok(total)
    }

    /// Approved, running assets whose last attestation (or registration, if never attested)
    /// is older than `period_days` at `now`, oldest first.
    pub async fn assets_due_for_attestation(
        &self,
        period_days: u32,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Asset>> {
        let threshold = now - chrono::Duration::days(i64::from(period_days));
        let rows = sqlx::query(&format!(
            "SELECT {ASSET_COLUMNS} FROM assets WHERE approval = 'approved' \
             AND status <> 'decommissioned' AND COALESCE(last_attested_at, created_at) < $1 \
             ORDER BY COALESCE(last_attested_at, created_at), id LIMIT $2"
        ))
        .bind(ts(threshold))
        .bind(i64::from(limit.min(MAX_PAGE_SIZE)))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(asset_of).collect()
    }

    /// How many assets there are.
    pub async fn count_assets(&self) -> Result<u64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM assets")
            .fetch_one(&self.pools.reader)
            .await?;
        Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0))
    }
}

impl WriteTx<'_> {
    /// The asset with this id, as this transaction sees it.
    pub async fn asset(&mut self, id: Uuid) -> Result<Option<Asset>> {
        fetch_asset(&mut *self.tx, "id", &id.to_string()).await
    }

    /// The asset with this name, as this transaction sees it.
    pub async fn asset_by_name(&mut self, name: &str) -> Result<Option<Asset>> {
        fetch_asset(&mut *self.tx, "name", name).await
    }

    /// Registers `asset`. A name or repository already registered is a
    /// [`StoreError::Conflict`] naming the existing asset.
    pub async fn insert_asset(&mut self, asset: &Asset) -> Result<()> {
        let id = asset.id.to_string();
        // The asset's words go in with the asset, in the same statement: on SQLite one
        // request to its worker thread (see `audit_log::append` for why round trips count
        // there), on PostgreSQL one statement whose first part inserts the asset. If the
        // asset clashes, neither engine writes the words.
        let words = terms(&searchable_text(asset));
        let words = if words.len() <= TERM_ROWS {
            words
        } else {
            Vec::new()
        };
        let insert = "INSERT INTO assets (id, name, purpose, creator_email, department, \
             department_key, owner_email, owner_key, backup_owner_email, backup_owner_key, \
             creator_key, data_tier, ai_tool_product, ai_tool_version, status, repository, \
             repository_key, systems, derived_risk_tier, risk_override, risk_tier, risk_rank, \
             approval, created_at, updated_at, last_attested_at) VALUES ($1, $2, $3, $4, $5, \
             $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
             $23, $24, $25, $26)";
        let sql = match (self.store.backend(), words.is_empty()) {
            (_, true) => insert.to_string(),
            // The word rows name the asset by `$1`, the asset's own id.
            (Backend::Postgres, false) => {
                let rows: Vec<String> = (0..words.len())
                    .map(|i| format!("(${}, $1)", 27 + i))
                    .collect();
                format!(
                    "WITH asset AS ({insert}) INSERT INTO asset_terms (term, asset_id) VALUES {}",
                    rows.join(", ")
                )
            }
            (Backend::Sqlite, false) => format!(
                "{insert}; INSERT INTO asset_terms (term, asset_id) VALUES {}",
                value_rows_after(26, words.len(), 2)
            ),
        };
        let query = bind_asset(sqlx::query(&sql), asset);
        let query = match self.store.backend() {
            Backend::Postgres => words
                .iter()
                .fold(query, |query, word| query.bind(word.as_str())),
            Backend::Sqlite => words.iter().fold(query, |query, word| {
                query.bind(word.as_str()).bind(id.as_str())
            }),
        };
        let result = query.execute(&mut *self.tx).await;
        let indexed = !words.is_empty();
        self.finish_asset_write(asset, None, indexed, result.map(|_| ()))
            .await
    }

    /// Stores every field of `asset` (found by id). Renaming onto another asset's name, or
    /// moving onto another asset's repository, is a [`StoreError::Conflict`].
    pub async fn update_asset(&mut self, asset: &Asset) -> Result<()> {
        let old_text = stored_text(&mut self.tx, &asset.id.to_string()).await?;
        let update = sqlx::query(
            "UPDATE assets SET name = $2, purpose = $3, creator_email = $4, department = $5, \
             department_key = $6, owner_email = $7, owner_key = $8, backup_owner_email = $9, \
             backup_owner_key = $10, creator_key = $11, data_tier = $12, ai_tool_product = $13, \
             ai_tool_version = $14, status = $15, repository = $16, repository_key = $17, \
             systems = $18, derived_risk_tier = $19, risk_override = $20, risk_tier = $21, \
             risk_rank = $22, approval = $23, created_at = $24, updated_at = $25, \
             last_attested_at = $26 WHERE id = $1",
        );
        let result = bind_asset(update, asset).execute(&mut *self.tx).await;
        match result {
            Ok(done) if done.rows_affected() == 0 => Err(StoreError::NotFound {
                kind: "asset",
                id: asset.id.to_string(),
            }),
            other => {
                self.finish_asset_write(asset, old_text, false, other.map(|_| ()))
                    .await
            }
        }
    }

    /// Records an attestation: the owner confirmed the asset at `at`.
    pub async fn set_attested(&mut self, asset_id: Uuid, at: DateTime<Utc>) -> Result<()> {
        let done =
            sqlx::query("UPDATE assets SET last_attested_at = $2, updated_at = $2 WHERE id = $1")
                .bind(asset_id.to_string())
                .bind(ts(at))
                .execute(&mut *self.tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "asset",
                id: asset_id.to_string(),
            });
        }
        self.mark_changed();
        Ok(())
    }

    /// Maps a unique-index violation (two registrations racing) to a conflict that names the
    /// asset that won.
    /// On success, brings the word index from `old_text` (none for a new asset) to the
    /// asset's words.
    /// `indexed`: the statement wrote the asset's words already.
    async fn finish_asset_write(
        &mut self,
        asset: &Asset,
        old_text: Option<String>,
        indexed: bool,
        result: std::result::Result<(), sqlx::Error>,
    ) -> Result<()> {
        match result {
            Ok(()) => {
                if !indexed {
                    let id = asset.id.to_string();
                    let new_text = searchable_text(asset);
                    update_terms(&mut self.tx, &id, old_text.as_deref(), &new_text).await?;
                }
                self.mark_changed();
                Ok(())
            }
            Err(e) if is_unique_violation(&e) => {
                // The unique indexes on name and repository are the check: asking first would
                // cost every write a statement to find the rare clash. SQLite undid only the
                // failed statement, so the winner is looked up inside this transaction, which
                // sees a clash with work queued in the same shared commit; PostgreSQL aborted
                // the transaction, so there the winner is looked up outside it.
                let found = match self.store.backend() {
                    Backend::Sqlite => find_conflict(&mut *self.tx, asset, Some(asset.id)).await?,
                    Backend::Postgres => {
                        find_conflict(&self.store.pools.reader, asset, Some(asset.id)).await?
                    }
                };
                match found {
                    Some(conflict) => Err(StoreError::Conflict(conflict)),
                    None => Err(StoreError::Database(e)),
                }
            }
            Err(e) => Err(StoreError::Database(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_numbered_placeholders_in_order() {
        let q = AssetQuery {
            data_tier: Some(DataTier::Confidential),
            involving: Some("Ana@Example.com".into()),
            text: Some("lead score".into()),
            ..Default::default()
        };
        let words = query_words(q.text.as_deref().unwrap());
        let text = TextPlan {
            words: vec![
                (words[0].clone(), WordMatch::Probing),
                (words[1].clone(), WordMatch::Driving),
            ],
        };
        let (sql, binds) = where_clause(&q, &text);
        assert_eq!(
            sql,
            " WHERE data_tier = $1 AND (owner_key = $2 OR backup_owner_key = $2 OR creator_key \
             = $2) AND EXISTS (SELECT 1 FROM asset_terms INDEXED BY asset_terms_asset WHERE \
             asset_id = assets.id AND term >= $3 AND term < $4) AND id IN (SELECT asset_id FROM \
             asset_terms WHERE term >= $5 AND term < $6)"
        );
        assert_eq!(binds.len(), 6);
        assert!(matches!(&binds[4], Bind::Text(t) if t == "score"));
        assert!(matches!(&binds[1], Bind::Text(t) if t == "ana@example.com"));
    }
}
