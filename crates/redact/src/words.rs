//! Word lists, in folded form (lower case, no accents): name particles,
//! role words, common words that are also names, the headers of name
//! columns, and the words around numbers that tell phones, ID numbers and
//! amounts apart. English and Spanish.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Particles of names that are never matched alone (`de`, `van`...).
const PARTICLES: &str = "de del la las los y e da das do dos di du van von der den le mc mac st san santa \
    don dona sr sra srta dr dra mr mrs ms miss lic ing prof";

/// Words of speaker labels that name a role or a relation, not a person
/// (`Interviewer`, `Entrevistadora`, `Mother`...).
const ROLE_WORDS: &str = "\
    interviewer interviewers int iv ivr q question researcher moderator facilitator host investigator \
    entrevistador entrevistadora entrevistadores entrevistadoras entrev ent investigador investigadora \
    moderador moderadora pregunta participant participante participants participantes respondent resp \
    interviewee informant informante inf entrevistado entrevistada answer respuesta subject narrator \
    narrador narradora migrant migrante translator interpreter traductor traductora interprete unknown \
    desconocido desconocida note nota speaker hablante voice voz all todos todas audience publico \
    male female hombre mujer man woman men women child nino nina boy girl chico chica senor senora \
    mother father madre padre mama papa son daughter hijo hija husband wife esposo esposa brother sister \
    hermano hermana grandmother abuela abuelo uncle aunt tio tia cousin primo prima friend amigo amiga \
    officer oficial official funcionario funcionaria agent agente guard guardia staff lawyer abogado \
    abogada doctor doctora nurse enfermera teacher maestro maestra profesor profesora assistant \
    asistente observer observador observadora transcriber transcriptor transcriptora crosstalk \
    inaudible unintelligible ininteligible both ambos ambas group grupo other otro otra others otros \
    person persona people gente professor rabbi rabino reverend rev priest cura imam sheikh captain \
    capitan sergeant sargento lieutenant teniente colonel coronel senator senador senadora president \
    presidente presidenta alcalde alcaldesa mayor \
    a p r i e";

/// Common English and Spanish words that are also given names, surnames or
/// nicknames. A name part that is one of these is matched alone only when
/// capitalized (`Rosa dijo` but not `una camisa rosa`).
const COMMON_WORDS: &str = "\
    rosa rosas paz luz sol blanca blanco mercedes dolores cruz pilar rosario esperanza consuelo amparo \
    socorro soledad angel angeles jesus victoria flor flores reyes rey leon leal franco pastor alegria \
    alba aurora azucena clemente concepcion estrella fe gloria inocencia justo justa luna lucero mar \
    milagros nieves perla primavera prudencia salvador santos sierra trinidad violeta asuncion caridad \
    celeste cielo fortuna gracia iris libertad linda lluvia marina modesto nieve oro palma paloma patria \
    rocio rubi serena vera verde domingo campo campos castillo lobo lobos molina moreno morena nieto \
    rico rubio rubia salas sola torres vega ventura villa bravo bueno cano calvo delgado fuentes gallo \
    grande guerra lagos llano montes mora piedra pino plaza prado puerto ramos rios soto toro caballero \
    cordero herrero parra romero manzano naranjo cuervo palomo mata monte iglesias pozo lago cuevas \
    costa conde duque flaco flaca gordo gorda negro negra chino china mono mona gato guero guera chato \
    chata chiquito chiquita pelon gringo gringa loco loca nene nena mijo mija mami papi \
    ella sean tomas rio solar mira alma clara pura dulce bella reina amada marcos lino \
    hope faith grace joy rose lily may june april august will bill mark frank jack pat rob sue art dawn \
    summer autumn ivy holly daisy ruby amber pearl crystal sky rain river stone wood hill field king \
    young black white brown green gray grey long short little small rich hunter baker cook miller \
    carter fisher mason porter park lee bush price ward bell cross hall moss lane love story case chase \
    glen dale guy page hunt reed rush snow swift wells west north english french free cash gold \
    silver star sterling sunny sandy ray buck duke earl prince major noble bishop dean judge marshall \
    christian hero honor justice patience prudence charity harmony destiny liberty mercy misty robin \
    wren jay drake fox wolf lamb bird crow finch hawk swan lion summers winter winters spring \
    sun moon hill hills brook brooks bush banks";

/// Header words (folded) of attribute columns that hold people's names.
const NAME_HEADER_WORDS: &str = "\
    name names fullname surname surnames lastname firstname forename nickname nicknames alias aliases \
    aka pseudonym pseudonyms nombre nombres apellido apellidos apodo apodos seudonimo seudonimos \
    pseudonimo pseudonimos sobrenombre alias";

/// Header words that make a column about something other than a person
/// even when it also says `name` (`organisation name`, `file name`).
const NOT_PERSON_HEADER_WORDS: &str = "\
    file filename archivo fichero org organisation organization organizacion institution institucion \
    agency agencia company empresa place lugar country pais city ciudad town pueblo shelter albergue \
    project proyecto study estudio code codigo codebook site sitio office oficina program programa \
    school escuela street calle state estado province provincia department departamento variable";

/// Header words of columns that give a participant's number (`P07`).
const NUMBER_HEADER_WORDS: &str =
    "participant participante pid code codigo case caso number numero no num";

/// Words shortly before a number that make it a phone number.
const PHONE_CONTEXT: &str = "\
    tel telf telefono telephone phone phones cel cell cellphone celular movil mobile whatsapp wasap wpp \
    watsap llamar llamame llamarme llama llamo call calling text texto fax contacto contact numero number \
    marcar dial";

/// Words shortly before a number that make it an ID number.
const ID_CONTEXT: &str = "\
    cedula cc ci dni dpi nie nit rut run rif curp ine pasaporte passport documento document id \
    identificacion identification identidad alien uscis expediente case caso registro folio ppt pep \
    permiso permit visa licencia license ssn carnet carne ficha radicado matricula tarjeta card account \
    cuenta";

/// Words right after a number that make it an amount, a measure or a count.
const AMOUNT_WORDS: &str = "\
    pesos peso dolares dolar dollars dollar usd us cop mxn bolivares bolivar bs quetzales quetzal gtq \
    colones colon crc soles sol euros euro eur lempiras cordobas reales mil millon millones million \
    millions thousand thousands billion billones percent porciento por km kilometros kilometers \
    kilometres miles millas metros meters metres kilos kilograms kg personas people persons migrantes \
    migrants habitantes inhabitants refugiados refugees familias families casos cases solicitudes \
    applications visas ninos children anos years dias days horas hours";

fn set(
    cell: &'static OnceLock<HashSet<&'static str>>,
    words: &'static str,
) -> &'static HashSet<&'static str> {
    cell.get_or_init(|| words.split_whitespace().collect())
}

macro_rules! word_set {
    ($(#[$doc:meta])* $name:ident, $words:ident) => {
        $(#[$doc])*
        pub(crate) fn $name(word: &str) -> bool {
            static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
            set(&CELL, $words).contains(word)
        }
    };
}

word_set!(
    /// A name particle (`de`, `van`).
    is_particle,
    PARTICLES
);
word_set!(
    /// A role or relation word of speaker labels.
    is_role_word,
    ROLE_WORDS
);
word_set!(
    /// A common word that is also a name.
    is_common_word,
    COMMON_WORDS
);
word_set!(
    /// A header word of a name column.
    is_name_header_word,
    NAME_HEADER_WORDS
);
word_set!(
    /// A header word of a column about something else than a person.
    is_not_person_header_word,
    NOT_PERSON_HEADER_WORDS
);
word_set!(
    /// A header word of a participant-number column.
    is_number_header_word,
    NUMBER_HEADER_WORDS
);
word_set!(
    /// A word announcing a phone number.
    is_phone_context,
    PHONE_CONTEXT
);
word_set!(
    /// A word announcing an ID number.
    is_id_context,
    ID_CONTEXT
);
word_set!(
    /// A word after an amount or a count.
    is_amount_word,
    AMOUNT_WORDS
);

/// The words of a folded string: runs of letters and digits.
pub(crate) fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_folded() {
        // Every list is written folded, so lookups of folded words work.
        for list in [
            PARTICLES,
            ROLE_WORDS,
            COMMON_WORDS,
            NAME_HEADER_WORDS,
            NOT_PERSON_HEADER_WORDS,
            PHONE_CONTEXT,
            ID_CONTEXT,
            AMOUNT_WORDS,
        ] {
            for w in list.split_whitespace() {
                assert_eq!(crate::fold::fold(w), w.replace('_', " "), "{w}");
            }
        }
    }
}
