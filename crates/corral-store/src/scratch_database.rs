//! Throw-away PostgreSQL databases for tests in any crate.
//!
//! The PostgreSQL server that tests talk to is shared: by other test binaries running at the
//! same time, by earlier runs, even by other checkouts on the same machine. A test that opened
//! the configured database directly would see whatever schema and rows those left behind (a
//! newer binary's migrations make this binary refuse the database). So each test creates a
//! database of its own with a random name, and the database is dropped when the
//! [`ScratchDatabase`] goes out of scope.
//!
//! Compiled only with the `test-support` feature, which crates enable in their
//! `[dev-dependencies]`.

use sqlx::Executor;
use sqlx::any::AnyPoolOptions;

/// The environment variable naming the server tests may create databases on.
pub const TEST_DATABASE_URL_VAR: &str = "CORRAL_TEST_DATABASE_URL";

/// A PostgreSQL database created for one test and dropped afterwards.
pub struct ScratchDatabase {
    /// The URL of the new database.
    pub url: String,
    admin_url: String,
    name: String,
}

impl ScratchDatabase {
    /// A new database on the server in `CORRAL_TEST_DATABASE_URL`, or `None` with a notice on
    /// stderr when the variable is unset (the PostgreSQL half of a test is then skipped).
    ///
    /// # Panics
    /// When the variable is set but the server cannot be reached or refuses to create the
    /// database: a configured server that does not work is a failure, not a skip.
    pub async fn from_env() -> Option<Self> {
        let Ok(admin_url) = std::env::var(TEST_DATABASE_URL_VAR) else {
            eprintln!("notice: {TEST_DATABASE_URL_VAR} is not set; PostgreSQL test skipped");
            return None;
        };
        Some(Self::create(&admin_url).await)
    }

    /// A new database on the server that `admin_url` connects to.
    pub async fn create(admin_url: &str) -> Self {
        sqlx::any::install_default_drivers();
        let name = format!("corral_test_{}", uuid::Uuid::new_v4().simple());
        let admin = AnyPoolOptions::new()
            .max_connections(1)
            .connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("connect to {TEST_DATABASE_URL_VAR}: {e}"));
        admin
            .execute(sqlx::raw_sql(&format!("CREATE DATABASE {name}")))
            .await
            .unwrap_or_else(|e| panic!("create test database {name}: {e}"));
        admin.close().await;
        Self {
            url: replace_database(admin_url, &name),
            admin_url: admin_url.to_string(),
            name,
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let admin_url = std::mem::take(&mut self.admin_url);
        let name = std::mem::take(&mut self.name);
        // Drop can run inside or outside a runtime; a thread with its own runtime works in both.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                sqlx::any::install_default_drivers();
                if let Ok(pool) = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&admin_url)
                    .await
                {
                    let _ = pool
                        .execute(sqlx::raw_sql(&format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .await;
                    pool.close().await;
                }
            });
        })
        .join();
    }
}

/// `admin_url` with its database name replaced by `name`, keeping any query string.
fn replace_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn the_database_name_is_replaced_and_the_query_kept() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
