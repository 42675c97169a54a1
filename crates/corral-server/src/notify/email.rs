//! E-mail delivery: one message per event over SMTP, with `lettre`.
//!
//! The target's `url` names the organisation's mail relay (`smtp://HOST:PORT`); the message
//! goes from `from` to every address in `to`, with the event's title as subject and its body
//! as plain text. The delivery id travels in an `X-Corral-Delivery` header so a mailbox rule
//! (or a person) can tell a retry from a new alert. A relay's refusal or an unreachable relay
//! is an error the dispatcher retries with backoff, like an HTTP failure.

use std::time::Duration;

use corral_model::Event;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::config::TargetConfig;

/// The relay's host and port from `smtp://HOST[:PORT]` (port 25 when omitted).
fn relay(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| format!("`{url}` is not an smtp:// address"))?
        .trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((host, port)) => Ok((
            host.to_string(),
            port.parse()
                .map_err(|_| format!("`{port}` in `{url}` is not a port number"))?,
        )),
        None => Ok((rest.to_string(), 25)),
    }
}

/// Builds the message for `event` to `target`'s recipients.
fn message(target: &TargetConfig, delivery: Uuid, event: &Event) -> Result<Message, String> {
    let from = target.from.as_deref().unwrap_or_default();
    let mut builder = Message::builder()
        .from(
            from.parse()
                .map_err(|e| format!("sender `{from}` is not an address: {e}"))?,
        )
        .subject(event.title.clone())
        .header(ContentType::TEXT_PLAIN)
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Corral-Delivery"),
            delivery.to_string(),
        ));
    for to in &target.to {
        builder = builder.to(to
            .parse()
            .map_err(|e| format!("recipient `{to}` is not an address: {e}"))?);
    }
    let mut text = event.body.clone();
    text.push_str(&format!(
        "\n\n-- \nCorral {} event, delivery {delivery}\n",
        event.kind.as_str()
    ));
    builder
        .body(text)
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Sends `event` to `target` through its relay.
pub async fn send(
    target: &TargetConfig,
    delivery: Uuid,
    event: &Event,
    timeout: Duration,
) -> Result<(), String> {
    let (host, port) = relay(&target.url)?;
    let message = message(target, delivery, event)?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(timeout))
        .build();
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("the mail relay did not accept the message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::relay;

    #[test]
    fn the_relay_address_defaults_to_port_25_and_rejects_other_schemes() {
        assert_eq!(
            relay("smtp://mail.internal:2525").unwrap(),
            ("mail.internal".into(), 2525)
        );
        assert_eq!(
            relay("smtp://mail.internal").unwrap(),
            ("mail.internal".into(), 25)
        );
        assert!(relay("http://mail.internal").is_err());
        assert!(
            relay("smtp://mail.internal:x")
                .unwrap_err()
                .contains("not a port")
        );
    }
}
