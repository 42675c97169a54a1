//! What every console page shares: the frame around it (navigation for the signed-in
//! person's role, who is signed in, the sign-out button, the stylesheet), rendering a
//! template into a response, and the error page.
//!
//! A page handler returns `Result<Response, ConsoleError>`. Errors from the shared workflow
//! (`ApiError`) become an error page with the same status and sentence the API would give;
//! a missing or expired session becomes a redirect to the sign-in page that comes back
//! afterwards.

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::response::{IntoResponse, Response};
use corral_model::{Action, Role};

use crate::console::session::ConsoleUser;
use crate::console::static_files::{css_path, icon_path};
use crate::error::ApiError;

/// The part of the console a page belongs to, for highlighting the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Register,
    Assets,
    Reviews,
    People,
    Packages,
    Jobs,
    Audit,
    Settings,
    /// The package gate's requests and decisions.
    Gate,
}

/// One navigation link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    /// Stable id for tests and browser automation: `nav-assets`…
    pub id: &'static str,
    pub active: bool,
}

/// The frame of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chrome {
    pub title: String,
    pub signed_in: bool,
    pub email: String,
    pub role: String,
    /// The session's CSRF token, repeated in every form.
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub css: &'static str,
    pub icon: &'static str,
}

/// The navigation `role` sees: pages it cannot use are left out.
fn nav_for(role: Role, active: Section) -> Vec<NavItem> {
    let all: [(Section, &str, &str, &str, Option<Action>); 10] = [
        (Section::Dashboard, "Dashboard", "/", "nav-dashboard", None),
        (
            Section::Register,
            "Register",
            "/assets/new",
            "nav-register",
            Some(Action::RegisterAsset),
        ),
        (Section::Assets, "Assets", "/assets", "nav-assets", None),
        (Section::Reviews, "Reviews", "/reviews", "nav-reviews", None),
        (Section::People, "People", "/people", "nav-people", None),
        (
            Section::Packages,
            "Packages",
            "/packages",
            "nav-packages",
            Some(Action::ViewAssets),
        ),
        (
            Section::Jobs,
            "Jobs",
            "/jobs",
            "nav-jobs",
            Some(Action::ViewAssets),
        ),
        (
            Section::Gate,
            "Package gate",
            "/gate/requests",
            "nav-gate",
            None,
        ),
        (
            Section::Audit,
            "Audit log",
            "/audit",
            "nav-audit",
            Some(Action::ViewAudit),
        ),
        (
            Section::Settings,
            "Settings",
            "/settings",
            "nav-settings",
            Some(Action::ManageSettings),
        ),
    ];
    all.into_iter()
        .filter(|(_, _, _, _, needs)| needs.is_none_or(|a| role.allows(a)))
        .map(|(section, label, href, id, _)| NavItem {
            label,
            href,
            id,
            active: section == active,
        })
        .collect()
}

impl Chrome {
    /// The frame for `user` on a page of `section`.
    pub fn new(user: &ConsoleUser, section: Section, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            signed_in: true,
            email: user.actor.email.clone(),
            role: user.actor.role.as_str().replace('-', " "),
            csrf: user.session.csrf_secret.clone(),
            nav: nav_for(user.actor.role, section),
            css: css_path(),
            icon: icon_path(),
        }
    }

    /// The frame for someone not signed in (the sign-in page, errors).
    pub fn guest(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            signed_in: false,
            email: String::new(),
            role: String::new(),
            csrf: String::new(),
            nav: Vec::new(),
            css: css_path(),
            icon: icon_path(),
        }
    }
}

/// `template` as an HTML response with `status`.
pub fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(err) => {
            ApiError::internal(format!("cannot render a console page: {err}")).into_response()
        }
    }
}

/// A 303 redirect to `location` (after a form, the browser follows with a GET).
pub fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location.to_string())]).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    chrome: Chrome,
    status: u16,
    heading: String,
    message: String,
    help: Option<String>,
}

/// Why a console request did not get its page.
#[derive(Debug)]
pub enum ConsoleError {
    /// No usable session: sign in, then come back to `next`.
    SignIn { next: String, expired: bool },
    /// An error page.
    Page {
        status: StatusCode,
        heading: String,
        message: String,
        help: Option<String>,
    },
}

impl ConsoleError {
    pub fn page(status: StatusCode, heading: &str, message: impl Into<String>) -> Self {
        Self::Page {
            status,
            heading: heading.into(),
            message: message.into(),
            help: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::page(StatusCode::NOT_FOUND, "Not found", message)
    }

    /// A form whose CSRF token is missing or wrong.
    pub fn csrf() -> Self {
        Self::Page {
            status: StatusCode::FORBIDDEN,
            heading: "This form cannot be accepted".into(),
            message: "it did not carry this session's security token, so Corral cannot tell \
                      that you sent it from the console: nothing was changed"
                .into(),
            help: Some(
                "go back, reload the page and submit the form again; if you signed in again \
                 in another tab, use the form from that tab"
                    .into(),
            ),
        }
    }
}

impl From<ApiError> for ConsoleError {
    fn from(err: ApiError) -> Self {
        let heading = match err.status {
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "Cannot do that",
            _ => "Something went wrong",
        };
        Self::Page {
            status: err.status,
            heading: heading.into(),
            message: err.detail.message,
            help: err.detail.help,
        }
    }
}

impl From<corral_store::StoreError> for ConsoleError {
    fn from(err: corral_store::StoreError) -> Self {
        ApiError::from(err).into()
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        match self {
            ConsoleError::SignIn { next, expired } => {
                let mut location = format!(
                    "/sign-in?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                if expired {
                    location.push_str("&expired=1");
                }
                see_other(&location)
            }
            ConsoleError::Page {
                status,
                heading,
                message,
                help,
            } => render(
                status,
                &ErrorTemplate {
                    chrome: Chrome::guest(heading.clone()),
                    status: status.as_u16(),
                    heading,
                    message,
                    help,
                },
            ),
        }
    }
}

pub type ConsoleResult = Result<Response, ConsoleError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_the_pages_it_can_use() {
        let ids = |role| {
            nav_for(role, Section::Assets)
                .iter()
                .map(|n| n.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(Role::Member),
            [
                "nav-dashboard",
                "nav-register",
                "nav-assets",
                "nav-reviews",
                "nav-people",
                "nav-packages",
                "nav-jobs",
                "nav-gate"
            ]
        );
        assert!(ids(Role::Admin).contains(&"nav-settings"));
        assert!(ids(Role::Auditor).contains(&"nav-audit"));
        assert!(!ids(Role::Auditor).contains(&"nav-register"));
        let nav = nav_for(Role::Member, Section::Assets);
        assert!(nav.iter().find(|n| n.id == "nav-assets").unwrap().active);
        assert_eq!(nav.iter().filter(|n| n.active).count(), 1);
    }
}
