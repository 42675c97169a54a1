//! A browser without JavaScript for the console tests: cookies kept by name, redirects not
//! followed (tests look at them), forms posted with the CSRF token of the page they came
//! from.

#![allow(dead_code)]

use std::collections::BTreeMap;

use corral_model::Role;
use corral_server::accounts::create_account;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::common::TestServer;

pub const PASSWORD: &str = "correct horse battery staple";

/// A browser: cookies kept by name, redirects not followed (tests look at them).
pub struct Browser<'s> {
    server: &'s TestServer,
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

/// One response.
pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// The value of the first `csrf` hidden field.
    pub fn csrf(&self) -> String {
        value_after(&self.body, "name=\"csrf\" value=\"")
    }

    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// How many times `text` occurs.
    pub fn count(&self, text: &str) -> usize {
        self.body.matches(text).count()
    }
}

pub fn value_after(body: &str, marker: &str) -> String {
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in page"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_string()
}

impl<'s> Browser<'s> {
    pub fn new(server: &'s TestServer) -> Self {
        Self {
            server,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let set_cookies: Vec<String> = headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if cookie.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        Page {
            status,
            location: headers
                .get(LOCATION)
                .map(|v| v.to_str().unwrap().to_string()),
            body: response.text().await.unwrap(),
            set_cookies,
            headers,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .http
            .get(self.server.url(path))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .http
            .post(self.server.url(path))
            .header(COOKIE, self.cookie_header())
            .form(fields)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// Posts `fields` with the CSRF token of the page at `from`.
    pub async fn submit(&mut self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    pub async fn try_sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/sign-in").await;
        assert_eq!(form.status, 200);
        let csrf = form.csrf();
        self.post(
            "/sign-in",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }

    pub async fn sign_in(&mut self, email: &str) {
        let page = self.try_sign_in(email, PASSWORD).await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(page.location.as_deref(), Some("/"));
    }

    pub fn session(&self) -> Option<&String> {
        self.cookies.get("__Host-corral_session")
    }
}

pub async fn account(s: &TestServer, email: &str, role: Role) {
    create_account(&s.running.state.store, "test", email, role, PASSWORD)
        .await
        .unwrap();
}

pub async fn signed_in<'s>(s: &'s TestServer, email: &str, role: Role) -> Browser<'s> {
    account(s, email, role).await;
    let mut b = Browser::new(s);
    b.sign_in(email).await;
    b
}
