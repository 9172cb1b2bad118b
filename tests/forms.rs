//! Forms that never surprise, driven by keys through the real keymap at the fixed clock
//! (Saturday 2026-11-28): a pre-filled field is replaced by typing, the line-editing keys every
//! program has, team choices that pick only what was named, and dates that say when they moved
//! to next year or lie far ahead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::app::FormError;
use casedesk::app::form::{FieldId, Form};
use casedesk::backend::Backend;
use casedesk::i18n::Lang;
use common::tui::Screens;

fn form(s: &Screens) -> &Form {
    s.app().form.as_ref().expect("a form is open")
}

fn text_of(s: &Screens, id: FieldId) -> String {
    form(s)
        .fields
        .iter()
        .find(|f| f.id == id)
        .map(|f| f.text())
        .unwrap()
}

#[test]
fn typing_into_a_pre_filled_field_replaces_it_and_arrows_keep_it_to_edit() {
    let mut s = Screens::demo(Lang::En);
    // The new-conference form opens on its day, pre-filled with "today".
    s.keys("C");
    assert_eq!(text_of(&s, FieldId::Date), "today");
    s.keys("fri");
    assert_eq!(text_of(&s, FieldId::Date), "fri", "not todayfri");
    // The facilitator (the user) is replaced the same way when the field is entered.
    // (Date, time, place, length, kind and title come before it.)
    s.keys("<Tab><Tab><Tab><Tab><Tab><Tab>");
    assert_eq!(form(&s).focused().map(|f| f.id), Some(FieldId::Facilitator));
    assert_eq!(text_of(&s, FieldId::Facilitator), "tester");
    s.keys("김교감");
    assert_eq!(text_of(&s, FieldId::Facilitator), "김교감");
    // Going back into a filled field selects it again; an arrow key keeps it to edit instead.
    s.keys("<BackTab><BackTab><BackTab><BackTab><BackTab><BackTab><End> 2");
    assert_eq!(text_of(&s, FieldId::Date), "fri 2");
}

#[test]
fn ctrl_u_clears_ctrl_w_deletes_a_word_and_ctrl_a_ctrl_e_go_to_the_ends() {
    let mut s = Screens::demo(Lang::En);
    s.keys("<Enter>a");
    s.keys("call the guardian today");
    s.keys("<C-w>");
    assert_eq!(text_of(&s, FieldId::Title), "call the guardian ");
    s.keys("<C-a>X<C-e>Y");
    assert_eq!(text_of(&s, FieldId::Title), "Xcall the guardian Y");
    s.keys("<C-u>");
    assert_eq!(text_of(&s, FieldId::Title), "");
    s.keys("home visit");
    assert_eq!(text_of(&s, FieldId::Title), "home visit");
    // The palette's line takes the same keys.
    s.keys("<Esc>y:sort<C-u>help");
    let typed = s.app().palette.as_ref().unwrap().input.lines().join("");
    assert_eq!(typed, "help");
}

#[test]
fn a_team_name_that_fits_no_team_saves_nothing_and_shows_the_candidates() {
    let mut s = Screens::demo(Lang::Ko);
    let before = s.state().actions.len();
    s.keys("<Enter>a할 일<Tab>동구종합사회복지관<Tab>+3d<C-s>");
    let f = form(&s);
    assert_eq!(f.fields[1].code(), None, "no team is chosen");
    assert!(
        matches!(&f.error, Some(FormError::Unchosen { field: FieldId::Team, typed }) if typed == "동구종합사회복지관"),
        "{:?}",
        f.error
    );
    assert_eq!(s.state().actions.len(), before, "nothing saved");
    let shown = s.screen(100, 30);
    assert!(shown.contains("맞는 것이 없습니다"), "{shown}");
    assert!(
        !shown.contains("◀ CPA"),
        "the field does not pretend: {shown}"
    );
    // A beginning that fits several teams chooses none either, and lists them.
    s.keys("<BackTab><C-u>W");
    assert_eq!(form(&s).fields[1].code(), None);
    let shown = s.screen(100, 30);
    assert!(shown.contains("여럿에 맞습니다"), "{shown}");
    assert!(shown.contains("WEE") && shown.contains("WELF"), "{shown}");
    // One more letter names one team; then it saves.
    s.keys("EL");
    assert_eq!(form(&s).fields[1].code(), Some("WELF"));
    s.keys("<C-s>");
    assert!(s.app().form.is_none());
    assert_eq!(s.state().actions.len(), before + 1);
}

#[test]
fn a_team_is_chosen_by_its_code_its_name_or_an_unambiguous_beginning() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("<Enter>a할 일<Tab>");
    for (typed, code) in [
        ("CSC", "CSC"),
        ("cpa", "CPA"),
        ("아동보호", "CPA"),
        ("정신건강복지센터", "MHC"),
        ("청소", "YCC"),
    ] {
        s.keys(&format!("<C-u>{typed}"));
        assert_eq!(form(&s).fields[1].code(), Some(code), "{typed}");
    }
    // A word inside a name is not a beginning: 관 does not pick 아동보호전문기관.
    s.keys("<C-u>관");
    assert_eq!(form(&s).fields[1].code(), None);
    // The arrows choose from the list and resolve it.
    s.keys("<Right>");
    assert!(form(&s).fields[1].code().is_some());
}

#[test]
fn a_month_and_day_already_past_this_year_says_it_is_next_years() {
    let mut s = Screens::demo(Lang::Ko);
    s.keys("<Enter>a할 일<Tab><Tab>11/20");
    let shown = s.screen(100, 30);
    assert!(shown.contains("2027-11-20"), "{shown}");
    assert!(shown.contains("올해는 지난 날짜라 내년"), "{shown}");
    // A date a few days ahead says nothing more than its weekday.
    s.keys("<C-u>12/4");
    let shown = s.screen(100, 30);
    assert!(shown.contains("2026-12-04"), "{shown}");
    assert!(
        !shown.contains("내년") && !shown.contains("6개월"),
        "{shown}"
    );
    // Far ahead: the year is highlighted and said.
    s.keys("<C-u>2027-07-01");
    let shown = s.screen(100, 30);
    assert!(shown.contains("6개월 넘게 뒤"), "{shown}");
}

#[test]
fn a_far_date_shows_its_year_highlighted() {
    let mut s = Screens::demo(Lang::En);
    s.keys("<Enter>a");
    s.keys("visit<Tab><Tab>2027-07-01");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    s.driver.handle(casedesk::app::Msg::Resize {
        width: 100,
        height: 30,
    });
    let theme = s.theme;
    let state = s.driver.backend.snapshot().unwrap().clone();
    terminal
        .draw(|frame| casedesk::ui::render(&s.driver.app, &state, theme, frame))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let text = common::tui::buffer_text(&buffer);
    let (row, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("→ 2027-07-01"))
        .expect("the preview line");
    let col = unicode_width::UnicodeWidthStr::width(&line[..line.find("2027").unwrap()]);
    let cell = &buffer[(u16::try_from(col).unwrap(), u16::try_from(row).unwrap())];
    assert!(
        cell.modifier
            .contains(ratatui::style::Modifier::BOLD | ratatui::style::Modifier::UNDERLINED),
        "{:?}",
        cell.modifier
    );
}
