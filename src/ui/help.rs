//! The help screen: every binding in force, by context, from the keymap itself. Pure drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, page_window};
use crate::app::App;
use crate::cells::width;
use crate::i18n::Lang;

/// The help screen: every binding in force, by context, from the keymap itself.
pub fn help(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let outer = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        lang.pick("키 도움말 (지금 쓰는 키맵)", "Keys (the keymap in force)")
    ));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let mut lines: Vec<Line> = Vec::new();
    for (context, bindings) in app.session.keymap.bindings() {
        lines.push(Line::styled(
            format!("{} — {}", context, context.title(lang)),
            theme.title(),
        ));
        for (action, keys) in bindings {
            let keys = if keys.is_empty() {
                lang.pick("(없음)", "(none)").to_string()
            } else {
                keys.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let pad = 14usize.saturating_sub(width(&keys));
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(keys, theme.warn()),
                Span::raw(" ".repeat(pad.max(1))),
                Span::raw(action.description(lang)),
                Span::styled(format!("  {}", action.name()), theme.dim()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    if lang == Lang::Ko {
        lines.push(Line::styled("한글 입력 상태에서도 단축키가 됩니다 (ㅓ = j, ㅂ = q …). 글 칸에서는 한글 그대로 입력됩니다.", theme.dim()));
    } else {
        lines.push(Line::styled("Shortcuts also work while the input method is in Hangul mode (ㅓ = j, ㅂ = q …); text fields take Hangul as typed.", theme.dim()));
    }
    // Capitals without a jamo of their own never arrive in Hangul mode: say which key to use.
    let twins = app.session.keymap.hangul_twins();
    if !twins.is_empty() {
        let none = lang.pick("없음", "none");
        let pairs = twins
            .iter()
            .map(|(key, twin)| {
                format!(
                    "{key} → {}",
                    twin.map_or_else(|| none.to_string(), |t| t.to_string())
                )
            })
            .collect::<Vec<_>>();
        let mut unique: Vec<String> = Vec::new();
        for pair in pairs {
            if !unique.contains(&pair) {
                unique.push(pair);
            }
        }
        lines.push(Line::styled(
            format!(
                "{} {}",
                lang.pick("한글 상태에서는:", "In Hangul mode use:"),
                unique.join(", ")
            ),
            theme.dim(),
        ));
    }
    let window = page_window(
        app.screens.help.scroll,
        lines.len(),
        usize::from(inner.height),
    );
    let shown: Vec<Line> = lines.get(window).unwrap_or_default().to_vec();
    frame.render_widget(Paragraph::new(shown), inner);
}
