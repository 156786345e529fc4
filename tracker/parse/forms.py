"""The action grammar as one table: each form's pattern, composed from shared verb vocabularies, with
its builder beside it.

What belongs here: the words actions are made of (auxiliaries, deleting, replacing, restating and
changing verbs, "the following", quoted and plain values), one compiled pattern per form over a folded
header (the named group "act" holds the action's words; the rest is the locator), and ``ACTIONS``, the
table in the order forms are tried."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from .builders import (
    _build_cell_change,
    _build_cell_rows,
    _build_delete,
    _build_delete_element,
    _build_delete_from,
    _build_delete_rows,
    _build_delete_words,
    _build_following_replaces,
    _build_imperative_replace,
    _build_insert,
    _build_insert_words,
    _build_listed,
    _build_more_from,
    _build_partial,
    _build_phrases,
    _build_references,
    _build_replace,
    _build_retitled,
    _build_substitution,
)
from .fold import _CLOSE, _OPEN
from .vocabulary import _FIGURE, _FIGURE_OR_QUOTED

_AUX = (
    r"(?:(?:hereby|also|further|accordingly) )?(?:should|shall|will|must|may|is|are|was|were|has been|have been|to be)"
    r"(?: (?:hereby|also|further|accordingly|now))?(?: be)?(?: (?:hereby|also|further))?"
)


_ENTIRETY = r"(?: in (?:its|their) entirety| in full)?"


_END = r"\s*(?::|\.(?!\d)|$)"  # (a period before a digit is a decimal point: "1,216.32")


_DELETED = r"(?:deleted|removed|struck(?: out)?|stricken|eliminated|omitted)"


_REPLACED = r"(?:replaced|superseded|substituted)"


# "amended and restated", "amended, restated and superseded", "restated": the whole element anew
_RESTATED = (
    r"(?:amended,? restated,? and superseded|amended and superseded|amended and replaced|"
    r"(?:(?:amended|revised),? (?:and )?)?restated(?:,? and superseded)?)"
)


_CHANGED = r"(?:changed|amended|revised|corrected|modified|updated|increased|decreased|reduced|raised|lowered|adjusted)"


_FOLLOWING = r"(?:the following|the text below|the following text|the (?:text|language|wording|information) (?:set forth |shown )?below)"


# words that may stand before a quoted new value: "replaced with a reference to «X»", "the figure «X»"
_NEW_PREFIX = r"(?:(?:a |the )?(?:new )?references? to |the (?:words?|phrase|number|figure|percentage|amount|date|rate|name|term) )?"


_VALUE_NOUN = r"(?:words?|phrase|number|figure|percentage|amount|date|rate|reference to|text|term)"


_QNEW = rf"{_NEW_PREFIX}{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE}"


_QOLD = rf"{_OPEN}(?P<old>[^{_CLOSE}]*){_CLOSE}"




_IN_PLACE = r"(?: in (?:its|their) place| therefor| in lieu thereof)?"


def _form(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# "The following table replaces the table entitled «X» on page S-32:"
_FOLLOWING_REPLACES = _form(rf"^(?P<act>(?:the (?:information|text|language|disclosure|data) (?:in|set forth in|contained in) )?the following (?P<what>[\w ,-]*?)\s*(?:hereby )?(?:replaces|shall replace|will replace|supersedes|shall supersede|is substituted for)){_ENTIRETY} (?:the (?:information|data) (?:in|set forth in|contained in) )?(?P<loc>.*?){_END}")


# "... is hereby amended by deleting the last sentence thereof and replacing it with the following:"
_AMEND_BY_DELETING = _form(rf"(?P<act>\b{_AUX} amended by (?:deleting|removing|striking) (?P<del>.*?) and (?:replacing|substituting|inserting)(?: (?:it|them|the same|such \w+))?{_ENTIRETY}(?:\s+(?:with|by|therefor with)|{_IN_PLACE}) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}")


# "... is amended by replacing the sentence on page S-21 containing the words «X» with the following sentence:"
_AMEND_BY_REPLACING_ELEMENT = _form(rf"(?P<act>\b{_AUX} (?:hereby )?(?:amended|revised|modified) by (?:replacing|restating) (?P<del>(?:the|each) (?!{_VALUE_NOUN}\b)[^:]*?) (?:with|by) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}")


# "... should be deleted in its entirety and replaced with the following:", "... amended, restated and superseded by the following:"
_REPLACE_FOLLOWING = _form(rf"(?P<act>\b(?:{_AUX} )?(?:{_DELETED}{_ENTIRETY},?(?: and(?: (?:should|shall|will|is|are)(?: hereby)?(?: be)?)?)? )?(?:hereby )?(?:{_REPLACED}|{_RESTATED}){_ENTIRETY} (?:with|by) {_FOLLOWING}(?P<what>[^:{_OPEN}]*?)){_END}")


# "... is hereby deleted and the following is substituted therefor:"
_DELETED_SUBSTITUTED = _form(rf"(?P<act>\b{_AUX} {_DELETED}{_ENTIRETY},? and the following(?P<what>[\w ,-]*?) (?:is |are |shall be |should be )?(?:substituted|inserted){_IN_PLACE}){_END}")


# "... is changed from «Aaa» to «(1)»"
_CHANGED_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED} from {_QOLD} to {_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE})")


# "... the reference to «9.25%» is changed to «9.50%»", "... is increased to «$5,000»", "... the reference to «Annex I» is
# corrected to refer to «Annex II»"
_CHANGED_TO = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED}(?: so as)?(?: to read| to refer)? to (?:read )?{_QNEW})")


# "... is amended by replacing «A» with «B»", "... by deleting «A» and inserting «B» in its place"
_AMEND_BY_REPLACING = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) (?:by (?:replacing|changing|deleting|striking)|to (?:replace|change|delete|strike))(?: the {_VALUE_NOUN})? {_QOLD}(?:,? and (?:replacing|substituting|inserting)(?: (?:it|them|the same|such \w+))?{_IN_PLACE})?(?: (?:with|by|to))? {_QNEW}{_IN_PLACE})")


# imperatives of old words for new: "strike «1.3%» and insert «1.5%» in lieu thereof", "delete the words «A»
# and substitute «B»", "strike out «A» and insert in its place «B»" (after the place, if any, and a comma)
_STRIKE_VERBS = r"(?:strike|delete|remove)(?: out)?"
_INSERT_VERBS = rf"(?:insert|substitute|add|replace (?:it|them) with){_IN_PLACE}(?: (?:with|by))?"
_IMPERATIVE_STRIKE = _form(rf"(?:^|(?<=, )|(?<=: ))(?P<act>{_STRIKE_VERBS}(?: the {_VALUE_NOUN})? {_QOLD},? and {_INSERT_VERBS} {_QNEW}{_IN_PLACE})")


# "strike 10% and insert 5%": figures without quotation marks
_IMPERATIVE_STRIKE_FIGURES = _form(rf"(?:^|(?<=, )|(?<=: ))(?P<act>{_STRIKE_VERBS}(?: the (?:number|figure|percentage|amount|rate))? (?P<old>{_FIGURE}),? and {_INSERT_VERBS} (?P<new>{_FIGURE}){_IN_PLACE})(?=\s*(?:[.;,]|$| in\b| on\b| and\b))")


# "The table ... is amended by changing the entry for the Class A-3 Notes in the column headed «Interest Rate» to
# 5.21%", "... the entry ... is changed to 5.21%", "... should read 5.21%": one cell anew, its figure with or without quotation marks
_CELL_CHANGED = _form(rf"(?P<act>\b(?:(?:{_AUX} )?(?:hereby )?(?:(?:amended|revised|modified|corrected) by (?:changing|revising|amending|correcting) (?P<del>the (?:entry|entries|figure|amount|rate|percentage|number|date|balance|value)\b[^:{_OPEN}]*?(?:{_OPEN}[^{_CLOSE}]*{_CLOSE}[^:{_OPEN}]*?)*)|{_CHANGED}) to (?:read )?|(?:should|shall|will|must) (?:hereby )?(?:now )?read )(?:{_QNEW}|(?P<fig>{_FIGURE})))\s*\.?$")


# "The table ... is amended by changing the entries in the column headed «Initial Principal Amount» for the Class
# A-2-A notes from $150,000,000 to $125,000,000 and for the Class A-2-B notes from $150,000,000 to $175,000,000":
# one substitution in each row's cell
_CELL_ROWS_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) by (?:changing|revising|amending|correcting) the (?:entry|entries|figures?|amounts?|rates?|percentages?|numbers?|dates?|balances?|values?)(?P<col> in [^:]*?)? (?P<pairs>for (?:the )?Class\b.*? from .*? to .*?))\s*\.?$")


# "... is amended by substituting «B» for «A»"
_AMEND_BY_SUBSTITUTING = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified|corrected) (?:by (?:substituting|inserting)|to (?:substitute|insert)) {_QNEW} (?:for|in place of|in lieu of) (?:the {_VALUE_NOUN} )?{_QOLD})")


# "... and by replacing «C» with «D»": a further substitution in the same place (never alone)
_AND_REPLACING = _form(rf"(?P<act>(?:\band|,) (?:by )?(?:replacing|changing|substituting for) (?:the {_VALUE_NOUN} )?{_QOLD} (?:with|by|to) {_QNEW})")


# "..., the certificate rate for the Class B certificates from 2.29% to 2.24% and ... from 3.04% to 2.89%": a further
# change with its verb left out, after a first one in the same sentence (never alone)
_MORE_FROM = _form(rf"(?P<act>(?:[,;] (?:and )?|\band )(?P<loc>(?:the|for the|in the) [^,;{_OPEN}{_CLOSE}]*? )?from (?P<old>{_FIGURE_OR_QUOTED}) to (?P<new>{_FIGURE_OR_QUOTED}))(?=\s*(?:[.;,]|$| and\b))")


# "... the words «A» are deleted and «B» is inserted in their place"
_DELETED_INSERTED = _form(rf"(?P<act>\b{_AUX} (?:hereby )?{_DELETED},? and {_QNEW} (?:is |are |shall be |should be |will be )?(?:hereby )?(?:inserted|substituted|added){_IN_PLACE})")


# "... is deleted and replaced with «1.10%»", "... is superseded by «X»"
_REPLACE_QUOTED = _form(rf"(?P<act>\b(?:{_AUX} )?(?:{_DELETED}{_ENTIRETY},?(?: and(?: (?:should|shall|will|is|are)(?: be)?)?)? )?(?:hereby )?{_REPLACED}{_ENTIRETY} (?:with|by) {_QNEW})")


# "3.6% shall be deleted and replaced with 7.4%": figures without quotation marks
_FIGURES = _form(rf"(?:^|(?<=: )|(?<=, )|(?<=\bto )|(?<=\bthe )|(?<=\bfigure )|(?<=\bamount )|(?<=\brate ))(?P<act>(?P<old>{_FIGURE}) (?:{_AUX} )?(?:hereby )?(?:{_DELETED},? and (?:{_AUX} )?)?(?:{_REPLACED}|{_CHANGED}) (?:with|by|to) (?:read )?(?P<new>{_FIGURE}))(?=\s*(?:[.;,]|$| in\b| on\b| and\b))")


# "... is changed from 1.05% to 1.10%": figures without quotation marks
_FIGURES_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED} from (?P<old>{_FIGURE}) to (?P<new>{_FIGURE}))(?=\s*(?:[.;,]|$| in\b| on\b| and\b))")


# "... shall be changed from the distribution date occurring in June 2010 to the distribution date occurring in
# February 2010": phrases without quotation marks; the words that differ are the change
_PHRASES_FROM = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?{_CHANGED} from (?P<old>[^{_OPEN}{_CLOSE}]+?) to (?P<new>[^{_OPEN}{_CLOSE}]+?))\s*\.?$")


# "the reference to page S-45 is corrected to read page S-47", "the reference to Section 3.05 is changed to Section
# 3.06": a reference with a number, without quotation marks; the words that differ are the change
_REFERENCE_TO_READ = _form(rf"(?P<act>\b(?:the|a|each) reference to (?P<old>[^{_OPEN}{_CLOSE},;]*?\d[^{_OPEN}{_CLOSE},;]*?) (?:{_AUX} )?(?:hereby )?(?:changed|corrected|revised|amended|updated) to (?:read )?(?P<new>[^{_OPEN}{_CLOSE},;]*?\d[^{_OPEN}{_CLOSE},;]*?))\s*\.?$")


# "References in the Prospectus to A Corp. are replaced by references to B Corp.": names without quotation marks
_REFERENCES = _form(rf"^(?P<act>(?:all |each |any )?references?(?P<where> (?:in|throughout) [^{_OPEN}{_CLOSE},]*?)? to (?P<old>[^{_OPEN}{_CLOSE}]+?(?:\({_OPEN}[^{_CLOSE}]*{_CLOSE}\))?) (?:{_AUX} )?(?:hereby )?(?:{_DELETED} and )?(?:{_REPLACED}|changed|amended) (?:with|by|to) (?:references? to )?(?P<new>[^{_OPEN}{_CLOSE}]+?(?:\({_OPEN}[^{_CLOSE}]*{_CLOSE}\))?))\s*\.?$")


# "... is amended and restated in its entirety as follows:"
_RESTATED_FORM = _form(rf"(?P<act>\b(?:{_AUX} )?{_RESTATED}{_ENTIRETY}(?: to read)?{_ENTIRETY}(?: as follows| to read as follows)?)\s*(?::|$)")


# "... should read (as follows):", "... is revised to read as follows:", "should read «X»"
_SHOULD_READ = _form(rf"(?P<act>\b(?:(?:should|shall|will|must|is|are)(?: hereby)?(?: be)? (?:revised|amended|changed|modified|corrected|updated){_ENTIRETY},? (?:so as )?to read|(?:should|shall|will|must|is hereby|now) reads?){_ENTIRETY}(?: as follows)?)(?=\s*(?::|{_OPEN}|$))")


# "The subheading «X» ... is retitled «Y»", "... is renamed as «Y»": a heading given a new title
_RETITLED = _form(rf"(?P<act>\b{_AUX} (?:hereby )?(?:retitled|re-titled|renamed|re-named|recaptioned|re-captioned)(?: as| to read| to)?)(?=\s*{_OPEN})")


# "The following sentences are inserted after ...", "... shall be added as the first Risk Factor in ..."
_FOLLOWING_INSERTED = _form(rf"^(?P<pre>(?:on|in|under|within|at|for|(?:immediately |directly )?(?:after|following|before|preceding|prior to))\b[^:]*?(?:,|{_CLOSE})\s+)?(?P<act>(?:the following|the|a|an) ?(?P<what>[\w ,-]*?) (?:{_AUX} )?(?:hereby )?(?:inserted|added|included))(?P<rest>(?: .*?)?){_END}")


# "... is hereby amended to add the following sentence at the end thereof:"
_AMENDED_TO_ADD = _form(rf"(?P<act>\b(?:{_AUX} )?(?:amended|supplemented|revised|modified) (?:to add|by adding|to insert|by inserting|to include|by including|with|by) {_FOLLOWING}(?P<what>[\w ,-]*?))(?P<rest>(?: (?:at the end|at the beginning|immediately after|immediately following|after|following|before|immediately before|preceding)\b.*?)?){_END}")


# "... are hereby amended by deleting the row containing Mortgage Loan number 14"
_DELETE_ROWS = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) by (?:deleting|removing|striking)(?: therefrom)? (?:the |each )?(?:rows?|lines?|entr(?:y|ies)) (?P<which>(?:(?!\band (?:replacing|substituting|inserting)\b).)*?)){_ENTIRETY}\s*[:.]?\s*$")


# "... is amended by deleting the words «(other than the Class A-IO Certificates)»"
_AMEND_BY_DELETING_WORDS = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) by (?:deleting|removing|striking)(?: therefrom)?(?: the {_VALUE_NOUN})? {_QOLD})(?!,? and (?:replacing|substituting|inserting))")


# "the word «and» is deleted from the second to last bullet point"
_DELETE_FROM = _form(rf"(?P<act>\b{_AUX} (?:hereby )?{_DELETED}{_ENTIRETY} from) (?P<loc>.*?){_END}")


# "The following provisions of the Prospectus Supplement are deleted: (a) ...; (b) ...": a list of places
_FOLLOWING_LISTED = _form(rf"^(?P<act>the following(?: [\w,-]+){{0,6}}? (?:{_AUX} )?(?:hereby )?{_DELETED}{_ENTIRETY})(?: from [\w ,-]+)?\s*:$")


# imperatives: "Replace the second paragraph ... with the following:", "Insert the following after ...", "Delete ..."
_IMPERATIVE_REPLACE = _form(rf"(?:^|(?<=, ))(?P<act>replace) (?P<loc>.*?) (?:with|by) (?:{_FOLLOWING}(?P<what>[^:{_OPEN}]*?)|{_OPEN}(?P<new>[^{_CLOSE}]*){_CLOSE}(?P<trail> (?:in|on|under|within|of|wherever|throughout)\b[^:]*?)?){_END}")


# "Page S-20 ... is amended by deleting the second full paragraph under the heading «Advances»"
_AMEND_BY_DELETING_ELEMENT = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) by (?:deleting|removing|striking)(?: therefrom)? (?P<del>(?:the|each|all) (?!(?:{_VALUE_NOUN}|rows?|lines?|entr(?:y|ies))\b)[^{_OPEN}:]*?(?:{_OPEN}[^{_CLOSE}]*{_CLOSE}[^{_OPEN}:]*?)*)){_ENTIRETY}\s*\.?$")


# "... is amended by inserting the words «, as amended,» after the words «Pooling Agreement»"
_INSERT_WORDS = _form(rf"(?P<act>\b(?:{_AUX} )?(?:hereby )?(?:amended|revised|modified) (?:by (?:inserting|adding)|to (?:insert|add)) (?:the {_VALUE_NOUN} )?{_QNEW} (?P<pos>immediately after|immediately before|after|before|following|preceding) (?:the {_VALUE_NOUN} )?{_QOLD})")


# "Insert the following paragraph after ...:", or the place first: "At the end of the section «X», add the following
# paragraph:"
_IMPERATIVE_INSERT = _form(rf"(?:^|(?<=, ))(?P<act>(?:insert|add) {_FOLLOWING}(?P<what>(?: [\w-]+){{0,3}}?))(?P<rest> (?:immediately |directly )?(?:after|following|before|preceding|prior to|at|to|as|in|into|under)\b.*?)?{_END}")


_IMPERATIVE_DELETE = _form(rf"^(?P<act>delete) (?P<loc>.*?){_ENTIRETY}{_END}")


# "... is hereby deleted in its entirety."
_DELETE = _form(rf"(?P<act>\b{_AUX} (?:hereby )?{_DELETED}{_ENTIRETY}(?: from the prospectus supplement)?)\s*(?:\.|$)")


# partial amendments: "... is hereby amended as follows:", "... will be changed to the following:"
_PARTIAL = _form(rf"(?P<act>\b{_AUX} (?:hereby )?(?:amended|revised|modified|updated|changed|corrected|supplemented)(?: and (?:supplemented|restated))?(?: as follows| to the following| to read as follows| as set forth below| by the following| with the following)?)\s*(?::|$)")


@dataclass(frozen=True)
class Action:
    """One form of the action grammar: its pattern, the builder of its clause, and how it combines."""

    name: str
    pattern: re.Pattern[str]
    build: object  # (match, subject, whole, context, offset) -> _Clause | list[_Clause] | None
    substitution: bool = False  # old words for new: several may stand in one sentence
    continuation: bool = False  # read only after a first substitution in the same sentence
    leadin: bool = False  # with the document itself as subject ("The Prospectus is amended as follows:"), a lead-in


ACTIONS = (
    Action("following_replaces", _FOLLOWING_REPLACES, _build_following_replaces),
    Action("amend_by_deleting", _AMEND_BY_DELETING, _build_replace),
    Action("amend_by_replacing_element", _AMEND_BY_REPLACING_ELEMENT, _build_replace),
    Action("replace_following", _REPLACE_FOLLOWING, _build_replace, leadin=True),
    Action("deleted_substituted", _DELETED_SUBSTITUTED, _build_replace),
    Action("changed_from", _CHANGED_FROM, _build_substitution, substitution=True),
    Action("changed_to", _CHANGED_TO, partial(_build_substitution, changed_to=True), substitution=True),
    Action("amend_by_replacing", _AMEND_BY_REPLACING, _build_substitution, substitution=True),
    Action("imperative_strike", _IMPERATIVE_STRIKE, _build_substitution, substitution=True),
    Action("imperative_strike_figures", _IMPERATIVE_STRIKE_FIGURES, _build_substitution, substitution=True),
    Action("cell_rows_from", _CELL_ROWS_FROM, _build_cell_rows),
    Action("cell_changed", _CELL_CHANGED, _build_cell_change),
    Action("amend_by_substituting", _AMEND_BY_SUBSTITUTING, _build_substitution, substitution=True),
    Action("and_replacing", _AND_REPLACING, _build_substitution, substitution=True, continuation=True),
    Action("more_from", _MORE_FROM, _build_more_from, substitution=True, continuation=True),
    Action("deleted_inserted", _DELETED_INSERTED, _build_substitution, substitution=True),
    Action("replace_quoted", _REPLACE_QUOTED, _build_substitution, substitution=True),
    Action("figures", _FIGURES, _build_substitution, substitution=True),
    Action("figures_from", _FIGURES_FROM, _build_substitution, substitution=True),
    Action("references", _REFERENCES, _build_references),
    Action("phrases_from", _PHRASES_FROM, _build_phrases),
    Action("reference_to_read", _REFERENCE_TO_READ, _build_phrases),
    Action("restated", _RESTATED_FORM, _build_replace, leadin=True),
    Action("should_read", _SHOULD_READ, partial(_build_replace, inline=True), leadin=True),
    Action("retitled", _RETITLED, _build_retitled),
    Action("following_inserted", _FOLLOWING_INSERTED, partial(_build_insert, fronted=True)),
    Action("amended_to_add", _AMENDED_TO_ADD, partial(_build_insert, amended_to_add=True)),
    Action("delete_rows", _DELETE_ROWS, _build_delete_rows),
    Action("delete_from", _DELETE_FROM, _build_delete_from),
    Action("amend_by_deleting_words", _AMEND_BY_DELETING_WORDS, _build_delete_words),
    Action("amend_by_deleting_element", _AMEND_BY_DELETING_ELEMENT, _build_delete_element),
    Action("insert_words", _INSERT_WORDS, _build_insert_words),
    Action("following_listed", _FOLLOWING_LISTED, _build_listed),
    Action("imperative_replace", _IMPERATIVE_REPLACE, _build_imperative_replace),
    Action("imperative_insert", _IMPERATIVE_INSERT, partial(_build_insert, fronted=True)),
    Action("imperative_delete", _IMPERATIVE_DELETE, _build_delete),
    Action("delete", _DELETE, _build_delete, leadin=True),
    Action("partial", _PARTIAL, _build_partial, leadin=True),
)


_ACTION_OF = {a.pattern: a for a in ACTIONS}
