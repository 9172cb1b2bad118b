//! The case screen's timeline: notes with level and stage changes, newest first, restricted
//! notes marked (and hidden in presentation mode), and what came from a case merged into this
//! one marked with that case's number. Pure drawing.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, block};
use crate::app::App;
use crate::app::screens::{CasePane, CaseView};
use crate::domain::vocab::NoteKind;
use crate::domain::{Case, CaseNumber, Note, State};
use crate::i18n::Lang;

/// One entry of the timeline.
struct Entry {
    on: NaiveDate,
    when: String,
    who: String,
    kind: String,
    text: String,
    restricted: bool,
    /// The case it was recorded on, when that is one merged into the case shown.
    origin: Option<CaseNumber>,
    /// A note's exact time (a change in a history has only its day).
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Timeline entries for a history of changes: `from → to` on the day each happened.
fn history<T>(
    out: &mut Vec<Entry>,
    changes: &[crate::domain::model::Change<T>],
    kind: NoteKind,
    label: impl Fn(&T) -> &'static str,
    lang: Lang,
    origin: Option<CaseNumber>,
) {
    for (i, change) in changes.iter().enumerate() {
        let mut text = match i.checked_sub(1).and_then(|p| changes.get(p)) {
            Some(prev) => format!("{} → {}", label(&prev.to), label(&change.to)),
            None => label(&change.to).to_string(),
        };
        if change.skipped {
            text.push_str(lang.pick(" (건너뜀)", " (skipped)"));
        }
        out.push(Entry {
            on: change.on,
            when: change.on.to_string(),
            who: change.by.clone(),
            kind: kind.label(lang).into(),
            text,
            restricted: false,
            origin,
            at: None,
        });
    }
}

/// The entries of `case`'s timeline, newest first: its notes (read with it, those of the cases
/// merged into it too) and the level and stage histories of it and of the cases merged into it.
fn entries(app: &App, state: &State, case: &Case, notes: &[Note]) -> Vec<Entry> {
    let lang = app.session.lang;
    let mut out = Vec::new();
    let merged: Vec<&Case> = state
        .merged_into(case.number)
        .iter()
        .filter_map(|n| state.cases.get(n))
        .collect();
    for c in std::iter::once(case).chain(merged) {
        let origin = (c.number != case.number).then_some(c.number);
        history(
            &mut out,
            &c.level_history,
            NoteKind::Level,
            |l| l.label(lang),
            lang,
            origin,
        );
        history(
            &mut out,
            &c.stage_history,
            NoteKind::Stage,
            |s| s.label(lang),
            lang,
            origin,
        );
    }
    // Newest first, so that notes of one minute keep their order under the sort below.
    for note in notes.iter().rev() {
        let text = if note.restricted && app.session.presentation {
            lang.pick(
                "(제한 기록: 발표 모드에서 숨김)",
                "(restricted: hidden in presentation mode)",
            )
            .to_string()
        } else {
            note.text.clone()
        };
        out.push(Entry {
            on: note.at.date_naive(),
            when: note.at.format("%Y-%m-%d %H:%M").to_string(),
            who: note.author.clone(),
            kind: note.kind.label(lang).into(),
            text,
            restricted: note.restricted,
            origin: (note.case != case.number).then_some(note.case),
            at: Some(note.at),
        });
    }
    // Newest first: what happened last is what a coordinator looks for. At one moment (a
    // merge notes both cases at once) the case's own entry comes first.
    out.sort_by(|a, b| {
        b.on.cmp(&a.on)
            .then(b.when.cmp(&a.when))
            .then(b.at.cmp(&a.at))
            .then(a.origin.is_some().cmp(&b.origin.is_some()))
    });
    out
}

/// Draws the timeline of the case shown.
pub(super) fn timeline(
    app: &App,
    state: &State,
    case: &Case,
    view: &CaseView,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let entries = entries(app, state, case, &view.notes);
    let outer = block(
        format!(
            " {} ({}) ",
            lang.pick("경과 기록", "Timeline"),
            entries.len()
        ),
        view.pane == CasePane::Timeline,
        theme,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let mut lines = Vec::new();
    for e in entries.iter().skip(view.timeline_scroll) {
        let mut head = vec![
            Span::styled(format!("{} ", e.when), theme.dim()),
            Span::styled(format!("[{}] ", e.kind), theme.title()),
        ];
        if let Some(origin) = e.origin {
            // Recorded on a case merged into this one: where it comes from.
            head.push(Span::styled(format!("[{origin}] "), theme.warn()));
        }
        if e.restricted {
            head.push(Span::styled(
                lang.pick("[제한] ", "[restricted] "),
                theme.alert(),
            ));
        }
        head.push(Span::styled(e.who.clone(), theme.dim()));
        lines.push(Line::from(head));
        for text_line in e.text.lines() {
            lines.push(Line::from(format!("  {text_line}")));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
