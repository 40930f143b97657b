//! Speaker roles: interviewer, participant or other.
//!
//! In order, a speaker's role comes from: the role the file declares
//! (CHAT `@Participants`, a transcript header); the label itself (built-in
//! and configured lists, in English and Spanish); and, for speakers still
//! unknown, who asks the questions: when no label names the interviewer,
//! the unknown speaker whose turns most often ask something becomes the
//! interviewer. Remaining unknown speakers are participants.
//!
//! `I` is ambiguous: the interviewer in English transcripts, the
//! *informante* (participant) in Spanish ones that label the interviewer
//! `E` (*entrevistador*). It is read as a participant when an `E` speaker is
//! present, as the interviewer otherwise.

use rustc_hash::FxHashMap;

use voces_corpus::Role;

use crate::{DeclaredSpeaker, ReadOptions, Turn};

const INTERVIEWER: &[&str] = &[
    "interviewer",
    "int",
    "iv",
    "ivr",
    "q",
    "question",
    "researcher",
    "moderator",
    "facilitator",
    "host",
    "investigator",
    "entrevistador",
    "entrevistadora",
    "entrevistador(a)",
    "entrevistadores",
    "entrev",
    "ent",
    "e",
    "investigador",
    "investigadora",
    "moderador",
    "moderadora",
    "pregunta",
    "p-entrevistador",
];

const PARTICIPANT: &[&str] = &[
    "participant",
    "participante",
    "p",
    "respondent",
    "resp",
    "r",
    "interviewee",
    "informant",
    "informante",
    "inf",
    "entrevistado",
    "entrevistada",
    "entrevistado(a)",
    "a",
    "answer",
    "respuesta",
    "subject",
    "narrator",
    "narrador",
    "narradora",
    "migrant",
    "migrante",
];

const OTHER: &[&str] = &[
    "translator",
    "interpreter",
    "traductor",
    "traductora",
    "intérprete",
    "interprete",
    "unknown",
    "desconocido",
    "note",
    "nota",
    "speaker",
    "voice",
    "voz",
    "all",
    "todos",
    "audience",
    "público",
];

/// The role a label names by itself, if any. Trailing digits and
/// bracketed gender endings are ignored (`P3`, `Interviewer 2`,
/// `Entrevistador(a)`).
pub(crate) fn role_of_label(label: &str, options: &ReadOptions) -> Option<Role> {
    let lower = label.trim().to_lowercase();
    let base = lower
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '_' || c == '-')
        .trim();
    let base = base.strip_suffix("(a)").map_or(base, str::trim);
    for (words, extra, role) in [
        (INTERVIEWER, &options.interviewer_labels, Role::Interviewer),
        (PARTICIPANT, &options.participant_labels, Role::Participant),
    ] {
        if extra.iter().any(|l| *l == lower || *l == base) {
            return Some(role);
        }
        if words.contains(&base) {
            return Some(role);
        }
    }
    if OTHER.contains(&base) {
        return Some(Role::Other);
    }
    None
}

/// True when `label` is a label voces knows for some role.
pub(crate) fn is_known_label(label: &str, options: &ReadOptions) -> bool {
    role_of_label(label, options).is_some()
}

/// Assigns a role to every speaker label used in `turns`.
pub(crate) fn assign(
    declared: &[DeclaredSpeaker],
    turns: &[Turn],
    options: &ReadOptions,
) -> FxHashMap<String, Role> {
    let mut labels: Vec<&str> = Vec::new();
    for t in turns {
        if let Some(s) = t.speaker.as_deref()
            && !labels.contains(&s)
        {
            labels.push(s);
        }
    }
    let mut roles: FxHashMap<String, Role> = FxHashMap::default();
    for d in declared {
        if let Some(role) = d.role {
            roles.insert(d.label.clone(), role);
        }
    }
    let has = |x: &str| labels.iter().any(|l| l.eq_ignore_ascii_case(x));
    let has_e = has("e");
    // Spanish `P:`/`R:` is pregunta/respuesta: P asks.
    let p_asks = has("p") && has("r") && !has("i") && !has("e");
    for label in &labels {
        if roles.contains_key(*label) {
            continue;
        }
        let role = if p_asks && label.eq_ignore_ascii_case("p") {
            Some(Role::Interviewer)
        } else if label.eq_ignore_ascii_case("i") {
            Some(if has_e {
                Role::Participant
            } else {
                Role::Interviewer
            })
        } else {
            role_of_label(label, options)
        };
        if let Some(role) = role {
            roles.insert((*label).to_owned(), role);
        }
    }
    let unknown: Vec<&str> = labels
        .iter()
        .copied()
        .filter(|l| !roles.contains_key(*l))
        .collect();
    if !unknown.is_empty()
        && !roles.values().any(|r| *r == Role::Interviewer)
        && let Some(asker) = most_questions(&unknown, turns, labels.len())
    {
        roles.insert(asker.to_owned(), Role::Interviewer);
    }
    for label in unknown {
        roles.entry(label.to_owned()).or_insert(Role::Participant);
    }
    roles
}

/// Per-speaker counts used to tell the interviewer from the others.
#[derive(Default, Clone, Copy)]
struct Talk {
    turns: usize,
    questions: usize,
    words: usize,
}

impl Talk {
    fn question_ratio(self) -> f64 {
        self.questions as f64 / self.turns.max(1) as f64
    }
    fn words_per_turn(self) -> f64 {
        self.words as f64 / self.turns.max(1) as f64
    }
}

/// The unknown speaker who leads the conversation, when one clearly does.
///
/// First choice: the speaker whose turns ask questions clearly more often
/// than anyone else's. Failing that (interviewers who mostly prompt
/// "and then?" without a question mark, or answers quoting questions), the
/// interview shape: the speaker with the most words is the participant,
/// and among the speakers whose turns are at most half as long as theirs,
/// the one asking most questions (then taking most turns) leads.
fn most_questions<'a>(candidates: &[&'a str], turns: &[Turn], speakers: usize) -> Option<&'a str> {
    if speakers < 2 {
        return None;
    }
    let mut stats: Vec<(&str, Talk)> = candidates.iter().map(|l| (*l, Talk::default())).collect();
    for t in turns {
        if let Some(s) = t.speaker.as_deref()
            && let Some((_, e)) = stats.iter_mut().find(|e| e.0 == s)
        {
            e.turns += 1;
            e.questions += usize::from(t.text.contains('?') || t.text.contains('¿'));
            e.words += t.text.split_whitespace().count();
        }
    }
    let main = stats.iter().max_by_key(|e| e.1.words)?;
    let (main_label, main_talk) = (main.0, main.1);
    let mut by_ratio = stats.clone();
    by_ratio.sort_by(|a, b| b.1.question_ratio().total_cmp(&a.1.question_ratio()));
    let best = by_ratio.first()?;
    let second = by_ratio.get(1).map_or(0.0, |e| e.1.question_ratio());
    // The speaker with the longest turns is not taken for the interviewer
    // on questions alone: narratives are full of quoted and rhetorical
    // questions.
    let longest = stats
        .iter()
        .filter(|e| e.1.turns > 0)
        .max_by(|a, b| a.1.words_per_turn().total_cmp(&b.1.words_per_turn()))
        .map(|e| e.0);
    let talks_longest = stats.len() > 1 && longest == Some(best.0);
    if !talks_longest
        && best.1.turns >= 2
        && best.1.question_ratio() >= 0.3
        && best.1.question_ratio() >= 2.0 * second
    {
        return Some(best.0);
    }
    if stats.len() < 2 {
        return None;
    }
    stats
        .iter()
        .filter(|e| {
            e.0 != main_label
                && e.1.turns >= 2
                && e.1.questions >= 1
                && e.1.words_per_turn() <= 0.5 * main_talk.words_per_turn()
        })
        .max_by_key(|e| (e.1.questions, e.1.turns))
        .map(|e| e.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ReadOptions {
        ReadOptions::new(&Default::default(), &Default::default()).unwrap()
    }

    fn turns(spec: &[(&str, &str)]) -> Vec<Turn> {
        spec.iter()
            .map(|(s, t)| Turn {
                speaker: Some((*s).to_owned()),
                text: (*t).to_owned(),
                ..Turn::default()
            })
            .collect()
    }

    #[test]
    fn labels() {
        let o = options();
        for (label, role) in [
            ("Interviewer", Some(Role::Interviewer)),
            ("Entrevistador(a)", Some(Role::Interviewer)),
            ("ENTREVISTADORA", Some(Role::Interviewer)),
            ("P3", Some(Role::Participant)),
            ("Participant 2", Some(Role::Participant)),
            ("interviewee", Some(Role::Participant)),
            ("Informante", Some(Role::Participant)),
            ("Interpreter", Some(Role::Other)),
            ("María", None),
        ] {
            assert_eq!(role_of_label(label, &o), role, "{label}");
        }
    }

    #[test]
    fn i_depends_on_e() {
        let o = options();
        let es = assign(
            &[],
            &turns(&[("E", "¿De dónde es?"), ("I", "De Caracas.")]),
            &o,
        );
        assert_eq!(es["I"], Role::Participant);
        assert_eq!(es["E"], Role::Interviewer);
        let en = assign(&[], &turns(&[("I", "Where from?"), ("P", "Caracas.")]), &o);
        assert_eq!(en["I"], Role::Interviewer);
        let pr = assign(
            &[],
            &turns(&[("P", "¿Cuándo llegó?"), ("R", "En mayo.")]),
            &o,
        );
        assert_eq!((pr["P"], pr["R"]), (Role::Interviewer, Role::Participant));
    }

    #[test]
    fn asker_of_questions_is_interviewer() {
        let o = options();
        let r = assign(
            &[],
            &turns(&[
                ("David Boder", "Where were you born?"),
                ("Anna Braun", "In Zaporozhye."),
                ("David Boder", "And then?"),
                ("Anna Braun", "Then we went west."),
            ]),
            &o,
        );
        assert_eq!(r["David Boder"], Role::Interviewer);
        assert_eq!(r["Anna Braun"], Role::Participant);
    }

    #[test]
    fn short_prompting_turns_lead_when_questions_do_not_decide() {
        // The narrator's long answers quote questions; the interviewer asks
        // few with a question mark, and an interpreter speaks in between.
        let long = "We were taken from the town, what could we do? Nothing. ".repeat(20);
        let r = assign(
            &[],
            &turns(&[
                ("Boder", "Introduce yourself, please."),
                ("Kahn", "Give your name."),
                ("Schrameck", &long),
                ("Boder", "Where were you then?"),
                ("Schrameck", &long),
                ("Kahn", "He asks about the camp."),
                ("Schrameck", &long),
                ("Boder", "Yes. Go on."),
                ("Schrameck", &long),
            ]),
            &options(),
        );
        assert_eq!(r["Boder"], Role::Interviewer);
        assert_eq!(r["Schrameck"], Role::Participant);
        assert_eq!(r["Kahn"], Role::Participant);
    }

    #[test]
    fn declared_role_wins_and_extra_labels_apply() {
        let mut o = options();
        o.interviewer_labels = vec!["mod".into()];
        let declared = [DeclaredSpeaker {
            label: "OSE".into(),
            name: None,
            role: Some(Role::Other),
        }];
        let r = assign(
            &declared,
            &turns(&[("MOD", "Hi?"), ("OSE", "yes"), ("LAU", "ok")]),
            &o,
        );
        assert_eq!(r["MOD"], Role::Interviewer);
        assert_eq!(r["OSE"], Role::Other);
        assert_eq!(r["LAU"], Role::Participant);
    }
}
