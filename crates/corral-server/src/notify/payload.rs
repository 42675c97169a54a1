//! What a delivery's body looks like for each kind of target.
//!
//! Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat, Teams' Slack mode)
//! take `{"text": …}` with `*bold*` markup: the event's title in bold, then its body. Generic
//! webhooks get the whole event as JSON plus the delivery id, so a receiver can deduplicate
//! retries of the same delivery.

use corral_model::Event;
use serde_json::json;
use uuid::Uuid;

use super::config::TargetKind;

/// The JSON body sent for `event` to a target of `kind`.
pub fn body(kind: TargetKind, delivery_id: Uuid, event: &Event) -> serde_json::Value {
    match kind {
        TargetKind::Slack => {
            let mut text = format!("*{}*", escape_slack(&event.title));
            if !event.body.trim().is_empty() {
                text.push('\n');
                text.push_str(&escape_slack(&event.body));
            }
            json!({ "text": text })
        }
        TargetKind::Email => json!({
            "subject": event.title,
            "text": event.body,
        }),
        TargetKind::Webhook => json!({
            "delivery_id": delivery_id,
            "event": event,
        }),
    }
}

/// Slack treats `&`, `<` and `>` as control characters in message text.
fn escape_slack(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::EventKind;

    #[test]
    fn slack_messages_put_the_title_in_bold_and_escape_control_characters() {
        let event = Event::new(
            EventKind::ReviewRequested,
            "lead-scoring needs a security review",
            "due <2026-11-27> & owned by ana@example.com",
        );
        let body = body(TargetKind::Slack, Uuid::nil(), &event);
        assert_eq!(
            body["text"],
            "*lead-scoring needs a security review*\ndue &lt;2026-11-27&gt; &amp; owned by ana@example.com"
        );
    }

    #[test]
    fn webhooks_receive_the_whole_event_and_the_delivery_id() {
        let event = Event::new(EventKind::Decision, "approved", "");
        let body = body(TargetKind::Webhook, Uuid::nil(), &event);
        assert_eq!(body["event"]["kind"], "decision");
        assert_eq!(body["delivery_id"], Uuid::nil().to_string());
    }
}
