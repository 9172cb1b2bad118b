//! What sits over or under the screens: the status and filter line, the help screen, forms,
//! the command palette and yes/no questions. Pure drawing; the hardware cursor is put at the
//! caret of the field being typed in, so an input method's preview appears in the right place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Theme, first_key, page_window};
use crate::app::form::{Form, Input};
use crate::app::{App, Confirm, Screen};
use crate::domain::State;
use crate::i18n::Lang;
use crate::keymap::Action as Do;
use crate::text::width;

/// Places the hardware cursor at a one-line text area's caret, drawn at `area`.
fn caret(frame: &mut Frame, input: &TextArea, area: Rect) {
    let ratatui_textarea::DataCursor(row, col) = input.cursor();
    let (top, left) = input.scroll_offset();
    let line = input.lines().get(row).map(String::as_str).unwrap_or("");
    let before: String = line.chars().take(col).collect();
    let x = width(&before).saturating_sub(usize::from(left));
    let y = row.saturating_sub(usize::from(top));
    let x = area
        .x
        .saturating_add(u16::try_from(x).unwrap_or(u16::MAX))
        .min(area.right().saturating_sub(1));
    let y = area
        .y
        .saturating_add(u16::try_from(y).unwrap_or(u16::MAX))
        .min(area.bottom().saturating_sub(1));
    frame.set_cursor_position((x, y));
}

/// The bottom line: the filter being typed, the last result, or the main keys.
pub fn status_line(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    if let Some(input) = &app.filter_input {
        let label = format!("{} ", app.lang.pick("필터 /", "filter /"));
        let w = u16::try_from(width(&label)).unwrap_or(0).min(area.width);
        let [l, rest] = Layout::horizontal([Constraint::Length(w), Constraint::Min(1)]).areas(area);
        frame.render_widget(Paragraph::new(Span::styled(label, theme.warn())), l);
        frame.render_widget(input, rest);
        caret(frame, input, rest);
        return;
    }
    if let Some(status) = &app.status {
        let (mark, style) = if status.error {
            ("! ", theme.alert())
        } else {
            ("✓ ", theme.ok())
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(mark, style),
                Span::styled(status.text.clone(), style),
            ])),
            area,
        );
        return;
    }
    let hints: &[(Do, &str, &str)] = match app.screen {
        Screen::Case => &[
            (Do::Back, "뒤로", "back"),
            (Do::AddAction, "조치", "action"),
            (Do::ActionDone, "완료", "done"),
            (Do::ActionDrop, "취소", "drop"),
            (Do::AddNote, "기록", "note"),
            (Do::Edit, "수정", "edit"),
            (Do::PaneNext, "창 전환", "pane"),
            (Do::Undo, "되돌리기", "undo"),
            (Do::Help, "도움말", "help"),
        ],
        Screen::Help => &[
            (Do::Back, "닫기", "close"),
            (Do::MoveDown, "아래", "down"),
            (Do::Quit, "종료", "quit"),
        ],
        _ => &[
            (Do::Quit, "종료", "quit"),
            (Do::Open, "열기", "open"),
            (Do::Filter, "필터", "filter"),
            (Do::Palette, "명령", "commands"),
            (Do::NewCase, "새 사례", "new case"),
            (Do::AddAction, "조치", "action"),
            (Do::ActionDone, "완료", "done"),
            (Do::Sort, "정렬", "sort"),
            (Do::PaneNext, "창", "pane"),
            (Do::Presentation, "발표", "present"),
            (Do::Undo, "되돌리기", "undo"),
        ],
    };
    let mut spans = vec![Span::raw(" ")];
    for (action, ko, en) in hints {
        if let Some(key) = first_key(app, *action) {
            spans.push(Span::styled(key, theme.title()));
            spans.push(Span::styled(
                format!(" {}  ", app.lang.pick(ko, en)),
                theme.dim(),
            ));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The help screen: every binding in force, by context, from the keymap itself.
pub fn help(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let outer = Block::default().borders(Borders::ALL).title(format!(
        " {} ",
        lang.pick("키 도움말 (지금 쓰는 키맵)", "Keys (the keymap in force)")
    ));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let mut lines: Vec<Line> = Vec::new();
    for (context, bindings) in app.keymap.bindings() {
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
    let window = page_window(app.help_scroll, lines.len(), usize::from(inner.height));
    let shown: Vec<Line> = lines[window].to_vec();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A form in a box over the screen.
pub fn form(app: &App, state: &State, form: &Form, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let label_w = 14u16;
    let rows: u16 = form
        .fields
        .iter()
        .map(|f| {
            if matches!(f.input, Input::Lines(_)) {
                5
            } else {
                2
            }
        })
        .sum::<u16>()
        + 4;
    let popup = centered(area, 76, rows.max(8));
    frame.render_widget(Clear, popup);
    let keys = match lang {
        Lang::Ko => format!(
            " {} 저장 · Enter 다음/저장 · Tab 이동 · {} 취소 ",
            first_key(app, Do::Save).unwrap_or_default(),
            first_key(app, Do::Cancel).unwrap_or_default()
        ),
        Lang::En => format!(
            " {} save · Enter next/save · Tab move · {} cancel ",
            first_key(app, Do::Save).unwrap_or_default(),
            first_key(app, Do::Cancel).unwrap_or_default()
        ),
    };
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", form.title(lang)))
        .title_bottom(keys)
        .border_style(theme.focus_border());
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let height = if matches!(field.input, Input::Lines(_)) {
            4
        } else {
            1
        };
        if y + height > inner.bottom() {
            break;
        }
        let label = format!(
            "{}{}",
            field.id.label(lang),
            if field.required { " *" } else { "" }
        );
        let label_area = Rect {
            x: inner.x,
            y,
            width: label_w.min(inner.width),
            height: 1,
        };
        let value_area = Rect {
            x: inner.x + label_w.min(inner.width),
            y,
            width: inner.width.saturating_sub(label_w),
            height,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                label,
                if focused { theme.active() } else { theme.dim() },
            )),
            label_area,
        );
        match &field.input {
            Input::Text(t) | Input::Lines(t) => {
                frame.render_widget(t, value_area);
                if focused {
                    caret(frame, t, value_area);
                }
            }
            Input::Choice(c) => {
                let text = c
                    .options
                    .get(c.selected)
                    .map(|(_, l)| l.clone())
                    .unwrap_or_default();
                let line = Line::from(vec![
                    Span::styled("◀ ", theme.dim()),
                    Span::styled(
                        text,
                        if focused {
                            theme.selected()
                        } else {
                            theme.text()
                        },
                    ),
                    Span::styled(" ▶", theme.dim()),
                ]);
                frame.render_widget(Paragraph::new(line), value_area);
            }
            Input::Toggle(on) => {
                let text = if *on {
                    lang.pick(
                        "[x] 예 (주관부서·조정자만 열람)",
                        "[x] yes (lead team and coordinators only)",
                    )
                } else {
                    lang.pick("[ ] 아니요 (Space로 바꿈)", "[ ] no (Space to change)")
                };
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        text,
                        if focused {
                            theme.selected()
                        } else {
                            theme.text()
                        },
                    )),
                    value_area,
                );
            }
        }
        y += height;
        // The resolved date, teams or domains, or why they cannot be read, before saving.
        let preview_area = Rect {
            x: value_area.x,
            y,
            width: value_area.width,
            height: 1,
        };
        if y < inner.bottom()
            && let Some(preview) = form.preview(field, state, app.today, lang)
        {
            let line = match preview {
                Ok(text) => Span::styled(format!("→ {text}"), theme.ok()),
                Err(why) => Span::styled(format!("! {why}"), theme.alert()),
            };
            frame.render_widget(Paragraph::new(line), preview_area);
        }
        y += 1;
    }
    if let Some(error) = &form.error {
        let err_area = Rect {
            x: inner.x,
            y: inner.bottom().saturating_sub(1),
            width: inner.width,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("! {error}"), theme.alert()))
                .wrap(Wrap { trim: true }),
            err_area,
        );
    }
}

/// The command palette: type to find an action by name, Enter runs it.
pub fn palette(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.palette else { return };
    let lang = app.lang;
    let popup = centered(area, 64, 16);
    frame.render_widget(Clear, popup);
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(format!(
            " {} ",
            lang.pick("명령 (이름으로 찾기)", "Commands (type to find)")
        ))
        .border_style(theme.focus_border());
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    let [input_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let [prompt, field] =
        Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(input_area);
    frame.render_widget(Paragraph::new(Span::styled(": ", theme.warn())), prompt);
    frame.render_widget(&p.input, field);
    caret(frame, &p.input, field);
    let matches = app.palette_matches();
    let window = page_window(p.selected, matches.len(), usize::from(list_area.height));
    let lines: Vec<Line> = matches[window.clone()]
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let keys = app
                .keymap
                .keys(*action)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            let line = Line::from(vec![
                Span::raw(crate::text::pad(action.description(lang), 32)),
                Span::styled(format!("{:<16}", action.name()), theme.dim()),
                Span::styled(keys, theme.warn()),
            ]);
            if window.start + i == p.selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick("맞는 명령이 없습니다", "No command matches"))
                .style(theme.dim()),
            list_area,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), list_area);
    }
}

/// A yes/no question.
pub fn confirm(confirm: &Confirm, theme: Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 60, 5);
    frame.render_widget(Clear, popup);
    let outer = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.alert());
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    frame.render_widget(
        Paragraph::new(confirm.question.clone()).wrap(Wrap { trim: true }),
        inner,
    );
}
