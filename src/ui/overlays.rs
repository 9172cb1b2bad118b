//! What sits over or under the screens: the status and filter line, the help screen, forms,
//! the command palette and yes/no questions. Pure drawing; the hardware cursor is put at the
//! caret of the field being typed in, so an input method's preview appears in the right place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::messages;
use super::{Theme, first_key, page_window};
use crate::app::form::{DateNote, Form, Input};
use crate::app::{App, Confirm};
use crate::cells::width;
use crate::domain::State;
use crate::i18n::Lang;
use crate::keymap::Action as Do;

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
pub fn status_line(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    if let Some(input) = &app.filter_input {
        let label = format!("{} ", app.session.lang.pick("필터 /", "filter /"));
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
                Span::styled(
                    messages::message(&status.message, app.session.lang, &app.session.keymap),
                    style,
                ),
            ])),
            area,
        );
        return;
    }
    // Most useful first; a hint that does not fit is left out whole.
    let hints = app.room().hints(&app.cx(state));
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (action, ko, en) in hints {
        if let Some(key) = first_key(app, *action) {
            let label = format!(" {}  ", app.session.lang.pick(ko, en));
            let w = width(&key) + width(&label);
            if used + w > usize::from(area.width) {
                break;
            }
            used += w;
            spans.push(Span::styled(key, theme.title()));
            spans.push(Span::styled(label, theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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

/// Blanks the popup and one column on each side of it: a wide (Hangul) character cut by the
/// popup's edge would otherwise cover its border.
fn clear_popup(frame: &mut Frame, popup: Rect, area: Rect) {
    let left = popup.x.saturating_sub(1).max(area.x);
    let right = popup.right().saturating_add(1).min(area.right());
    frame.render_widget(
        Clear,
        Rect {
            x: left,
            width: right.saturating_sub(left),
            ..popup
        },
    );
}

/// A form in a box over the screen.
pub fn form(app: &App, state: &State, form: &Form, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    // Labels get 14 columns, more when one of this form's is longer (a label is never cut),
    // up to a third of a narrow screen.
    let longest = form
        .fields
        .iter()
        .map(|f| {
            crate::cells::width(messages::field_label(f.id, lang)) + if f.required { 2 } else { 0 }
        })
        .max()
        .unwrap_or(0);
    let label_w = u16::try_from(longest + 1).unwrap_or(u16::MAX).clamp(14, 24);
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
    clear_popup(frame, popup, area);
    // Enter always goes to the next field (and saves on the last); the rest are the keymap's.
    let key = |action| first_key(app, action).unwrap_or_else(|| format!(":{action}"));
    let keys = match lang {
        Lang::Ko => format!(
            " {} 저장 · Enter 다음/저장 · {} 이동 · {} 취소 ",
            key(Do::Save),
            key(Do::NextField),
            key(Do::Cancel)
        ),
        Lang::En => format!(
            " {} save · Enter next/save · {} move · {} cancel ",
            key(Do::Save),
            key(Do::NextField),
            key(Do::Cancel)
        ),
    };
    let outer = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", messages::form_title(form, lang)))
        .title_bottom(keys)
        .border_style(theme.focus_border());
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    // A failed save says why on the last two lines; the fields scroll so the focused one shows.
    let error_rows: u16 = if form.error.is_some() { 2 } else { 0 };
    let room = inner.height.saturating_sub(error_rows);
    let rows_of = |f: &crate::app::form::Field| {
        if matches!(f.input, Input::Lines(_)) {
            5u16
        } else {
            2
        }
    };
    let mut start = 0;
    while start < form.focus
        && form
            .fields
            .iter()
            .take(form.focus + 1)
            .skip(start)
            .map(rows_of)
            .sum::<u16>()
            > room
    {
        start += 1;
    }
    let mut y = inner.y;
    let mut shown_to = start;
    for (i, field) in form.fields.iter().enumerate().skip(start) {
        let focused = i == form.focus;
        let height = rows_of(field) - 1;
        if y + height > inner.y + room {
            break;
        }
        shown_to = i + 1;
        let label = format!(
            "{}{}",
            messages::field_label(field.id, lang),
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
            Input::Text(t) | Input::Lines(t) if t.placeholder_text().contains('⟦') => {
                // A hint naming a key (`⟦newline⟧: 줄바꿈`) names the one in force.
                let mut shown = t.clone();
                shown.set_placeholder_text(messages::with_keys(
                    t.placeholder_text(),
                    &app.session.keymap,
                ));
                frame.render_widget(&shown, value_area);
                if focused {
                    caret(frame, &shown, value_area);
                }
            }
            Input::Text(t) | Input::Lines(t) => {
                frame.render_widget(t, value_area);
                if focused {
                    caret(frame, t, value_area);
                }
            }
            Input::Choice(c) => {
                // Unresolved: nothing is chosen, and the field must not look as if it were.
                let text = if c.unresolved {
                    "?".to_string()
                } else {
                    c.options
                        .get(c.selected)
                        .map(|(_, l)| l.clone())
                        .unwrap_or_default()
                };
                let mut spans = vec![
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
                ];
                if (focused || c.unresolved) && !c.typed.is_empty() {
                    spans.push(Span::styled(
                        format!("  ({} {})", lang.pick("입력:", "typed:"), c.typed),
                        theme.dim(),
                    ));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
            }
            Input::Toggle(on) => {
                let (yes, no) = if field.id == crate::app::form::FieldId::Restricted {
                    (
                        lang.pick(
                            "[x] 예 (주관부서·조정자만 열람)",
                            "[x] yes (lead team and coordinators only)",
                        ),
                        lang.pick("[ ] 아니요 (Space로 바꿈)", "[ ] no (Space to change)"),
                    )
                } else {
                    (
                        lang.pick("[x] 예", "[x] yes"),
                        lang.pick("[ ] 아니요 (Space로 바꿈)", "[ ] no (Space to change)"),
                    )
                };
                let text = if *on { yes } else { no };
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
        if let Some(preview) = form
            .preview(field, state, &app.session.calendar, app.session.today, lang)
            .filter(|_| y < inner.bottom())
        {
            let note = form.date_note(field, &app.session.calendar, app.session.today);
            let line = match (preview, note) {
                (Ok(text), Some(note)) => date_line(&text, note, lang, theme),
                (Ok(text), None) => Line::from(Span::styled(format!("→ {text}"), theme.ok())),
                (Err(why), _) => Line::from(Span::styled(format!("! {why}"), theme.alert())),
            };
            frame.render_widget(Paragraph::new(line), preview_area);
        }
        y += 1;
    }
    // Say that there is more above or below.
    let corner = |y: u16| Rect {
        x: inner.right().saturating_sub(2),
        y,
        width: 2.min(inner.width),
        height: 1,
    };
    if start > 0 {
        frame.render_widget(
            Paragraph::new(Span::styled("▲", theme.dim())),
            corner(inner.y),
        );
    }
    if shown_to < form.fields.len() {
        frame.render_widget(
            Paragraph::new(Span::styled("▼", theme.dim())),
            corner((inner.y + room).saturating_sub(1)),
        );
    }
    if let Some(error) = &form.error {
        let err_area = Rect {
            x: inner.x,
            y: inner.y + room,
            width: inner.width,
            height: error_rows.min(inner.height),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("! {}", messages::form_error(error, app.session.lang)),
                theme.alert(),
            ))
            .wrap(Wrap { trim: true }),
            err_area,
        );
    }
}

/// A date's preview with what must not go unnoticed: the year highlighted when the date is far
/// ahead or was moved to next year, and a warning when a month/day already past this year was
/// put in the next.
fn date_line(text: &str, note: DateNote, lang: Lang, theme: Theme) -> Line<'static> {
    // `2027-07-01 (목) · …`: the year, the rest of the day, then what falls on it; the warning
    // goes right after the day so that a narrow form never cuts it off.
    let (year, rest) = text.split_at(text.find('-').unwrap_or(0));
    let (day, after) = rest.split_at(rest.find(')').map_or(rest.len(), |i| i + 1));
    let warning = if note.next_year {
        Some((
            lang.pick("올해는 지난 날짜라 내년", "passed this year: next year"),
            theme.alert(),
        ))
    } else if note.far {
        Some((
            lang.pick("6개월 넘게 뒤", "over 6 months ahead"),
            theme.warn(),
        ))
    } else {
        None
    };
    let mut spans = vec![
        Span::styled("→ ", theme.ok()),
        Span::styled(
            year.to_string(),
            theme
                .warn()
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ),
        Span::styled(day.to_string(), theme.ok()),
    ];
    if let Some((words, style)) = warning {
        spans.push(Span::styled(format!(" ! {words}"), style));
    }
    spans.push(Span::styled(after.to_string(), theme.ok()));
    Line::from(spans)
}

/// The command palette: type to find an action by name, Enter runs it.
pub fn palette(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.palette else { return };
    let lang = app.session.lang;
    let popup = centered(area, 64, 16);
    clear_popup(frame, popup, area);
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
    let lines: Vec<Line> = matches
        .get(window.clone())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let keys = app
                .session
                .keymap
                .keys(*action)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            let line = Line::from(vec![
                Span::raw(crate::cells::pad(action.description(lang), 32)),
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
pub fn confirm(app: &App, confirm: &Confirm, theme: Theme, frame: &mut Frame, area: Rect) {
    // The question is broken into lines by display width first, so the box is as tall as the
    // question needs and no word runs over its border.
    let text = messages::question(&confirm.question, app.session.lang, &app.session.keymap);
    let width = area.width.saturating_sub(4).min(64);
    // A question of several lines (a merge: both cases, what moves) keeps its lines.
    let lines: Vec<String> = text
        .split('\n')
        .flat_map(|line| crate::cells::wrap(line, usize::from(width.saturating_sub(4))))
        .collect();
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let popup = centered(area, width, height);
    clear_popup(frame, popup, area);
    let outer = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.alert());
    let inner = outer.inner(popup).inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 0,
    });
    frame.render_widget(outer, popup);
    frame.render_widget(
        Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()),
        inner,
    );
}
