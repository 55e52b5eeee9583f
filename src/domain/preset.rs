//! The questions organisers add in one click, already worded in the four
//! working languages. Each preset is written once here, in the shape of the
//! API's question set-up, so that the API and the back office read it with
//! the same rules as a question typed by hand.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::vocabulary::vocabulary;

vocabulary! {
    /// A ready-made question, or a pair of them.
    pub enum Preset {
        /// A single choice (none, vegetarian, vegan, halal, kosher,
        /// gluten-free, other) and a text asked only after "other".
        Diet = "diet",
        /// A long text, sensitive.
        Accessibility = "accessibility",
        /// A multiple choice of the four languages, or another.
        Interpretation = "interpretation",
        /// Arrival and departure, two dates within the event's.
        TravelDates = "travel_dates",
        /// A country: the one of the passport.
        Nationality = "nationality",
    }
}

/// A text in the four languages, as stored: by language code.
fn texts(en: &str, fr: &str, es: &str, pt: &str) -> Value {
    json!({"en": en, "fr": fr, "es": es, "pt": pt})
}

fn choice(code: &str, labels: Value) -> Value {
    json!({"code": code, "labels": labels})
}

/// How many days after the event the accessibility preset's answers are
/// kept before the worker deletes them.
pub const ACCESSIBILITY_KEPT_DAYS: i32 = 30;

impl Preset {
    /// The question codes the preset adds, in its order.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Preset::Diet => &["diet", "diet_other"],
            Preset::Accessibility => &["accessibility"],
            Preset::Interpretation => &["interpretation"],
            Preset::TravelDates => &["arrival", "departure"],
            Preset::Nationality => &["nationality"],
        }
    }

    /// The preset's questions as the API's set-up bodies (without a
    /// position: the caller puts them after the event's own), for an event
    /// held from `starts_on` to `ends_on`.
    pub fn questions(self, starts_on: NaiveDate, ends_on: NaiveDate) -> Vec<Value> {
        match self {
            Preset::Diet => vec![
                json!({
                    "code": "diet",
                    "type": "single_choice",
                    "labels": texts(
                        "Dietary requirements",
                        "Régime alimentaire",
                        "Régimen alimentario",
                        "Restrições alimentares",
                    ),
                    "required": true,
                    "choices": [
                        choice("none", texts("None", "Aucun", "Ninguno", "Nenhuma")),
                        choice("vegetarian", texts("Vegetarian", "Végétarien", "Vegetariano", "Vegetariano")),
                        choice("vegan", texts("Vegan", "Végétalien", "Vegano", "Vegano")),
                        choice("halal", texts("Halal", "Halal", "Halal", "Halal")),
                        choice("kosher", texts("Kosher", "Casher", "Kosher", "Kosher")),
                        choice("gluten_free", texts("Gluten-free", "Sans gluten", "Sin gluten", "Sem glúten")),
                        choice("other", texts("Other", "Autre", "Otro", "Outra")),
                    ],
                }),
                json!({
                    "code": "diet_other",
                    "type": "text",
                    "labels": texts(
                        "Your dietary requirements",
                        "Votre régime alimentaire",
                        "Su régimen alimentario",
                        "Sua restrição alimentar",
                    ),
                    "required": true,
                    "condition": {"question": "diet", "any_of": ["other"]},
                }),
            ],
            Preset::Accessibility => vec![json!({
                "code": "accessibility",
                "type": "long_text",
                "labels": texts(
                    "Accessibility needs",
                    "Besoins d'accessibilité",
                    "Necesidades de accesibilidad",
                    "Necessidades de acessibilidade",
                ),
                "help": texts(
                    "For example wheelchair access, sign language or large print. Only the organisers read this answer.",
                    "Par exemple un accès en fauteuil roulant, la langue des signes ou des gros caractères. Seuls les organisateurs lisent cette réponse.",
                    "Por ejemplo, acceso en silla de ruedas, lengua de señas o letra grande. Solo el equipo organizador lee esta respuesta.",
                    "Por exemplo, acesso para cadeira de rodas, língua de sinais ou letra grande. Somente a organização lê esta resposta.",
                ),
                "sensitive": true,
                // Health data is kept no longer than the organisers need it.
                "purge_after_days": ACCESSIBILITY_KEPT_DAYS,
            })],
            Preset::Interpretation => vec![json!({
                "code": "interpretation",
                "type": "multiple_choice",
                "labels": texts(
                    "Interpretation wanted into",
                    "Interprétation souhaitée en",
                    "Interpretación deseada en",
                    "Interpretação desejada em",
                ),
                "choices": [
                    choice("fr", texts("French", "Français", "Francés", "Francês")),
                    choice("en", texts("English", "Anglais", "Inglés", "Inglês")),
                    choice("es", texts("Spanish", "Espagnol", "Español", "Espanhol")),
                    choice("pt", texts("Portuguese", "Portugais", "Portugués", "Português")),
                    choice("other", texts("Another language", "Une autre langue", "Otro idioma", "Outro idioma")),
                ],
            })],
            Preset::TravelDates => {
                let (from, to) = (
                    starts_on.format("%Y-%m-%d").to_string(),
                    ends_on.format("%Y-%m-%d").to_string(),
                );
                vec![
                    json!({
                        "code": "arrival",
                        "type": "date",
                        "labels": texts("Arrival date", "Date d'arrivée", "Fecha de llegada", "Data de chegada"),
                        "min": from,
                        "max": to,
                    }),
                    json!({
                        "code": "departure",
                        "type": "date",
                        "labels": texts("Departure date", "Date de départ", "Fecha de salida", "Data de partida"),
                        "min": from,
                        "max": to,
                    }),
                ]
            }
            Preset::Nationality => vec![json!({
                "code": "nationality",
                "type": "country",
                "labels": texts(
                    "Nationality (as in your passport)",
                    "Nationalité (celle de votre passeport)",
                    "Nacionalidad (la de su pasaporte)",
                    "Nacionalidade (a do seu passaporte)",
                ),
            })],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Language, QuestionCode, QuestionType, Vocabulary};

    /// Every text of a set-up body: labels, help and the choices' labels.
    fn all_texts(body: &Value) -> Vec<&Value> {
        let mut found = vec![&body["labels"]];
        if !body["help"].is_null() {
            found.push(&body["help"]);
        }
        if let Some(choices) = body["choices"].as_array() {
            found.extend(choices.iter().map(|choice| &choice["labels"]));
        }
        found
    }

    #[test]
    fn every_preset_is_worded_in_the_four_languages_under_its_codes() {
        let (from, to) = (
            NaiveDate::from_ymd_opt(2027, 11, 22).expect("a day"),
            NaiveDate::from_ymd_opt(2027, 11, 25).expect("a day"),
        );
        for &preset in Preset::ALL {
            let bodies = preset.questions(from, to);
            let codes: Vec<&str> = bodies
                .iter()
                .map(|body| body["code"].as_str().expect("a code"))
                .collect();
            assert_eq!(codes, preset.codes(), "{preset}");
            for body in &bodies {
                assert!(QuestionCode::parse(body["code"].as_str().unwrap_or("")).is_ok());
                let kind = body["type"].as_str().and_then(QuestionType::from_stored);
                assert!(kind.is_some(), "{body}");
                for texts in all_texts(body) {
                    for language in Language::ALL {
                        let text = texts[language.code()].as_str().unwrap_or("");
                        assert!(!text.trim().is_empty(), "{preset} {language:?} {texts}");
                    }
                    assert_eq!(texts.as_object().map(|map| map.len()), Some(4));
                }
            }
        }
        let dates = Preset::TravelDates.questions(from, to);
        assert_eq!(dates[0]["min"], "2027-11-22");
        assert_eq!(dates[1]["max"], "2027-11-25");
        assert_eq!(
            Preset::Accessibility.questions(from, to)[0]["sensitive"],
            true
        );
    }
}
