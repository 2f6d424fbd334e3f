//! The knowledge base's health beside the report: articles on "Controle nodig" and the gap
//! report's groups. Not per period, and counted at most every few minutes.

use chrono::{DateTime, Utc};

use super::tables::KbHealth;
use crate::store::reports;
use crate::web::AppState;
use crate::web::error::PageResult;
use crate::web::pages::{kb, kb_list};

/// How long the knowledge base's health is kept: grouping the gaps is the slowest part of the
/// page, and neither review dates nor gaps change by the minute.
const KB_HEALTH_KEPT: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// The last [`KbHealth`], shared by every request (one counts, the others wait for it).
#[derive(Default)]
pub struct KbHealthCache(tokio::sync::Mutex<Option<KbHealth>>);

pub(super) async fn kb_health(state: &AppState, now: DateTime<Utc>) -> PageResult<KbHealth> {
    let mut kept = state.reports_kb.0.lock().await;
    if let Some(health) = kept.as_ref()
        && health.counted_at <= now
        && now - health.counted_at < KB_HEALTH_KEPT
    {
        return Ok(health.clone());
    }
    let health = count_kb_health(state, now).await?;
    *kept = Some(health.clone());
    Ok(health)
}

async fn count_kb_health(state: &AppState, now: DateTime<Utc>) -> PageResult<KbHealth> {
    let since = now - chrono::TimeDelta::days(kb::USAGE_DAYS);
    let usage = state
        .chat
        .store
        .call(move |c| crate::store::usage::per_article(c, since))
        .await?;
    let gap_days = crate::chat::gaps::DEFAULT_DAYS;
    let gaps = state.chat.gap_report(gap_days).await?;
    let snapshot = state.chat.engine.snapshot();
    let today = reports::local_date(now);
    let review_months = state.chat.config.kb.review_months;
    let needs_review = (snapshot.articles.iter())
        .filter(|a| !kb_list::review_reasons(a, usage.get(&a.id), today, review_months).is_empty())
        .count();
    Ok(KbHealth {
        articles: snapshot.articles.len(),
        needs_review,
        gap_groups: gaps.groups.len(),
        gap_days,
        counted_at: now,
    })
}
