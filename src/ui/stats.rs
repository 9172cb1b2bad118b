//! The statistics screen: the month's figures in a line, and bar charts drawn with block
//! characters (by domain and lead team, opened █ and closed ░; open cases by level; overdue by
//! team). Pure drawing; never computes figures itself beyond scaling bars, never reads the clock.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::App;
use crate::cells::{pad, width};
use crate::domain::stats::{MonthStats, domain_label};
use crate::i18n::Lang;

/// One bar row: a label and one or two counts (opened and closed).
struct Bar {
    label: String,
    first: usize,
    second: Option<usize>,
}

/// Draws the statistics screen.
pub fn stats(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let ko = lang == Lang::Ko;
    let Some(view) = &app.screens.stats.shown else {
        return;
    };
    let month = view.month.format("%Y-%m");
    let Some(s) = &view.stats else {
        let block = Block::bordered().title(format!(" {month} "));
        frame.render_widget(
            Paragraph::new(lang.pick("불러오는 중…", "Loading…")).block(block),
            area,
        );
        return;
    };
    let title = if ko {
        format!(" {month} 월간 통계 · 기준일 {} ", s.as_of)
    } else {
        format!(" {month} statistics · as of {} ", s.as_of)
    };
    let block = Block::bordered()
        .title(Span::styled(title, theme.title()))
        .border_style(theme.focus_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [summary, top, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(summary_lines(s, lang, theme)), summary);
    let [top_left, top_right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(top);
    let [bottom_left, bottom_right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);

    let by_domain: Vec<Bar> = s
        .opened
        .by_domain
        .iter()
        .zip(&s.closed.by_domain)
        .filter(|((d, o), (_, c))| d.is_some() || *o + *c > 0)
        .map(|((d, o), (_, c))| Bar {
            label: domain_label(*d, lang).to_string(),
            first: *o,
            second: Some(*c),
        })
        .collect();
    let teams: Vec<_> = s
        .opened
        .by_team
        .iter()
        .map(|(t, _)| t.clone())
        .chain(s.closed.by_team.iter().map(|(t, _)| t.clone()))
        .collect();
    let count = |list: &[(crate::domain::TeamCode, usize)], t: &crate::domain::TeamCode| {
        list.iter().find(|(x, _)| x == t).map_or(0, |(_, n)| *n)
    };
    let mut by_team: Vec<Bar> = Vec::new();
    for t in teams {
        if by_team.iter().any(|b| b.label == t.as_str()) {
            continue;
        }
        by_team.push(Bar {
            label: t.to_string(),
            first: count(&s.opened.by_team, &t),
            second: Some(count(&s.closed.by_team, &t)),
        });
    }
    let levels: Vec<Bar> = s
        .open_by_level
        .iter()
        .map(|(l, n)| Bar {
            label: l.label(lang).to_string(),
            first: *n,
            second: None,
        })
        .collect();
    let overdue: Vec<Bar> = s
        .overdue_by_team
        .iter()
        .map(|(t, n)| Bar {
            label: t.to_string(),
            first: *n,
            second: None,
        })
        .collect();
    let legend = lang.pick("█ 접수 ░ 종결", "█ opened ░ closed");
    let panels = [
        (
            format!("{} ({legend})", lang.pick("영역별", "by domain")),
            by_domain,
            top_left,
        ),
        (
            format!("{} ({legend})", lang.pick("주관부서별", "by lead team")),
            by_team,
            top_right,
        ),
        (
            lang.pick("진행 사례 · 위기 수준", "open cases by level")
                .to_string(),
            levels,
            bottom_left,
        ),
        (
            lang.pick("기한초과 · 부서별", "overdue by team")
                .to_string(),
            overdue,
            bottom_right,
        ),
    ];
    for (title, bars, area) in panels {
        panel(&title, &bars, lang, theme, frame, area);
    }
}

fn summary_lines(s: &MonthStats, lang: Lang, theme: Theme) -> Vec<Line<'static>> {
    let ko = lang == Lang::Ko;
    let a = &s.actions;
    let rate = a
        .on_time_percent()
        .map_or_else(|| "-".to_string(), |p| format!("{p:.1}%"));
    let open: usize = s.open_by_level.iter().map(|(_, n)| n).sum();
    let first = if ko {
        format!(
            " 접수 {}  종결 {}  진행 {open}  조치 기한 {}건 · 기한 내 완료 {}건 ({rate})",
            s.opened.total, s.closed.total, a.due, a.done_on_time
        )
    } else {
        format!(
            " opened {}  closed {}  open {open}  actions due {} · on time {} ({rate})",
            s.opened.total, s.closed.total, a.due, a.done_on_time
        )
    };
    let conference = match &s.to_conference {
        Some(c) if ko => format!(
            " 접수→첫 사례회의 중앙값 {:.1}일 ({}건)  기한초과 {}건",
            c.median,
            c.cases,
            s.overdue_by_team.iter().map(|(_, n)| n).sum::<usize>()
        ),
        Some(c) => format!(
            " intake to first conference: median {:.1} days ({} cases)  overdue {}",
            c.median,
            c.cases,
            s.overdue_by_team.iter().map(|(_, n)| n).sum::<usize>()
        ),
        None if ko => format!(
            " 접수→첫 사례회의: 이달 없음  기한초과 {}건",
            s.overdue_by_team.iter().map(|(_, n)| n).sum::<usize>()
        ),
        None => format!(
            " intake to first conference: none this month  overdue {}",
            s.overdue_by_team.iter().map(|(_, n)| n).sum::<usize>()
        ),
    };
    vec![
        Line::from(Span::styled(first, theme.text())),
        Line::from(Span::styled(conference, theme.text())),
    ]
}

/// A titled panel of horizontal bars, scaled to the largest count in it; rows that do not fit
/// are left out and counted in the title.
fn panel(title: &str, bars: &[Bar], lang: Lang, theme: Theme, frame: &mut Frame, area: Rect) {
    let rows = usize::from(area.height.saturating_sub(1));
    let hidden = bars.len().saturating_sub(rows);
    let title = if hidden > 0 {
        match lang {
            Lang::Ko => format!(" {title} · 외 {hidden} "),
            Lang::En => format!(" {title} · {hidden} more "),
        }
    } else {
        format!(" {title} ")
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if bars.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(" {}", lang.pick("없음", "none"))),
            inner,
        );
        return;
    }
    let label_w = bars
        .iter()
        .map(|b| width(&b.label))
        .max()
        .unwrap_or(0)
        .min(18);
    let max = bars
        .iter()
        .map(|b| b.first.max(b.second.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1);
    let digits = max.to_string().len();
    let paired = bars.iter().any(|b| b.second.is_some());
    // Cells for the bars: the row less the label, counts and gaps.
    let fixed = 1 + label_w + 1 + (digits + 2) * if paired { 2 } else { 1 };
    let room = usize::from(inner.width).saturating_sub(fixed);
    let bar_w = if paired { room / 2 } else { room };
    let scaled = |n: usize| {
        if n == 0 {
            0
        } else {
            (n * bar_w).div_ceil(max).max(1)
        }
    };
    let lines: Vec<Line> = bars
        .iter()
        .take(rows)
        .map(|b| {
            let mut spans = vec![Span::raw(format!(" {} ", pad(&b.label, label_w)))];
            let first = scaled(b.first);
            spans.push(Span::styled("█".repeat(first), theme.text()));
            spans.push(Span::raw(format!(
                " {:<w$} ",
                b.first,
                w = digits + bar_w.saturating_sub(first)
            )));
            if let Some(second) = b.second {
                let n = scaled(second);
                spans.push(Span::styled("░".repeat(n), theme.dim()));
                spans.push(Span::raw(format!(" {second}")));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
