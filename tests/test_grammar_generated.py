"""The generated grammar test: thousands of sticker sentences combined from the vocabularies.

``tests/grammar_gen.py`` combines element nouns, ordinals, locators, actions, quotation styles, line
layouts and table-cell marks into stickers with known answers (corpus/README.md conventions). It is
a specification: many examples fail today. ``GENERATED_FLOOR`` is the overall rate the parser reaches
now; raise it as the parser improves and never lower it. ``MUST_PARSE`` names, per vocabulary item,
examples the parser already reads exactly, so a regression shows by name.

    python -m tests.grammar_gen --report              # the per-tag table
    python -m tests.grammar_gen --failures TAG        # what fails for one tag
    python -m tests.grammar_gen --must-parse          # MUST_PARSE anew, after the generator changes
"""

from __future__ import annotations

import time

import pytest

from tests import grammar_gen as gg
from tracker.models import OPS, TARGET_KINDS

# overall share of generated examples parsed field-exact by the current parser (measured: 1816 / 3692)
GENERATED_FLOOR = 0.99  # 0.491 when the test was written; 0.985 with the composed grammar, 0.993 since

_EXAMPLES = gg.examples()
_BY_ID = {e.id: e for e in _EXAMPLES}

# examples the current parser reads exactly, per vocabulary item (python -m tests.grammar_gen --must-parse)
MUST_PARSE = {
    'action=added_after': ['8d64cb4315', '7c23f1a2f0'],
    'action=added_at_end': ['ed779644ce', 'a79530619d'],
    'action=added_preceding': ['93f8c109e9', '9b95619b5f'],
    'action=all_references_changed_to': ['78e7f5cd66', 'a7451bed71'],
    'action=all_references_deleted_replaced': ['9c240c8574', 'd3f5c258b4'],
    'action=all_references_replaced': ['93721c500c', 'a41c10d8fe'],
    'action=amended_by_adding_at_end': ['fe28a50410', 'd901b1357c'],
    'action=amended_by_deleting_inserting': ['0ef777613b', '9bf6fbdcad'],
    'action=amended_by_replacing': ['efdfb043ca', '70570d0ea3'],
    'action=amended_by_substituting': ['dd2684a5d2', 'fe00851260'],
    'action=amended_restated': ['bbb38eb28b', '861a3b5fe9'],
    'action=amended_to_add_at_end': ['9e2bf8d9c9', 'dd79e12d84'],
    'action=amended_to_read_entirety': ['8f674f636d', '1b87ea50bb'],
    'action=amended_to_read_inline': ['2fd26249aa', '80fb783e57'],
    'action=changed_from_to': ['0a8a0e872a', 'b51cf53e7b'],
    'action=corrected_to_read': ['2ef0db9d38', 'e8d5c66bb5'],
    'action=deleted': ['9d57afee6d', '2afd8fb531'],
    'action=deleted_entirety': ['4be64e2e13', 'cbc8cff6b2'],
    'action=deleted_replaced': ['c90d273af3', '68e82a648a'],
    'action=deleted_replaced_plain': ['44b05dab42', 'dad8f14d52'],
    'action=deleted_substituted': ['e95bc3207f', 'cbc7c88bae'],
    'action=each_place': ['c2eafecc9f', '7377344e6a'],
    'action=each_reference_replaced': ['e447df5675', '6a754a6fe4'],
    'action=following_added_at_end': ['79e3a6e0b6', '6be4d75bec'],
    'action=following_replaces': ['f983d87df2', '618d2d7882'],
    'action=following_replaces_entirety': ['130d88108e', '91e60475af'],
    'action=imperative_delete': ['10fb2beaf1', '36f2583714'],
    'action=imperative_delete_entirety': ['9c71acecf1', 'befca0343e'],
    'action=imperative_replace': ['8b0f091d48', '737e53c73d'],
    'action=inserted_after': ['71fb56fe38', 'cbc4523816'],
    'action=inserted_as_last': ['5690e572bb', '39d8292279'],
    'action=inserted_before': ['6ec7658ea8', 'ca2dc6ede3'],
    'action=inserted_immediately_following': ['52b8c0bb2e', '0566a0bf29'],
    'action=notwithstanding_contrary': ['501eb04b83', 'bc6b48a085'],
    'action=notwithstanding_in_ps': ['a9ad80377d', 'c0ae24f6d6'],
    'action=notwithstanding_information': ['70e7afbbe1', '29d7d4df26'],
    'action=notwithstanding_statement': ['d3d8871050', '7593bc9a82'],
    'action=quoted_replaced_with': ['c53e0bb73d', '4541aa227f'],
    'action=reference_changed_to': ['87605b4fdc', '3b1dd8a2d9'],
    'action=reference_revised_to_read': ['77b75b2bd0', '2e4d135862'],
    'action=reference_should_be_changed': ['18bf05b8af', '68ea115baf'],
    'action=removed': ['22bbbee85b', '8081362b40'],
    'action=replaced_by_following': ['746c903a8f', 'ad6d60f2ee'],
    'action=replaced_in_place_after': ['c6d80779de', 'c8cd3e2c69'],
    'action=replaced_with_following': ['58f1646a6e', 'e5876cc4f1'],
    'action=replaced_with_inline': ['348f5ff2ea', 'ee013ffa86'],
    'action=revised_to_read': ['c4ae6dc528', '9ce3e918c6'],
    'action=revised_to_read_inline': ['9f5cb5345b', '9ac9a8125f'],
    'action=shall_be_amended_to_read': ['8fd5945bf9', 'a15741f285'],
    'action=shall_be_deleted': ['ecc1729aac', 'ae4e0fe2ac'],
    'action=should_be_deleted': ['6b31d4a620', 'd0a68e0f01'],
    'action=should_be_deleted_replaced': ['e5d2279033', '338df51356'],
    'action=should_read': ['b2c857e396', 'd305e34f6a'],
    'action=should_read_bare': ['0410796898', '5c49b1b3ef'],
    'action=should_read_inline': ['ca2eea7752', '136379fbfa'],
    'action=struck': ['db1ee27150', '231269ab07'],
    'action=supplemented_by_adding': ['390ac286fe', 'e828d11510'],
    'action=throughout': ['f63c4cb587', 'f88a6d064e'],
    'action=two_substitutions_two_places': ['1a9e2f3a19', 'a2865532d6'],
    'action=wherever_it_appears': ['3d20c6d2a2', '825a8963eb'],
    'action=words_deleted_replaced': ['4121758f06', 'e6da2b8c8a'],
    'bullet_glyph=cell': ['b0e45731c6', '28c50cbe44'],
    'bullet_glyph=none': ['5690e572bb', '39d8292279'],
    'bullet_glyph=own_line': ['07afc408ba', '0013d69249'],
    'cells=no': ['1a9e2f3a19', 'e7832054c8'],
    'cells=yes': ['a2865532d6', '86dcc792e6'],
    'closing=capitalized_terms': ['e7832054c8', 'edd2a046ae'],
    'closing=except_as_described': ['a2865532d6', '86dcc792e6'],
    'closing=remains_unchanged': ['1a9e2f3a19', 'ac3340d9f6'],
    'closing=underwriter_date': ['5fc2108081', 'e155c74b59'],
    'cover=caps': ['86dcc792e6', '5fc2108081'],
    'cover=mirror_header': ['1a9e2f3a19', 'a2865532d6'],
    'cover=preliminary': ['468ee50d73', 'ac3340d9f6'],
    'cover=rule_424': ['420ae618f8', '06bfe40d60'],
    'direction=from_end': ['0138b78586', 'd046da3e59'],
    'direction=from_start': ['1f240fe0c3', '9c7e5dea07'],
    'element=bullet': ['b7bea7a823', '9ac9a8125f'],
    'element=chart': ['338df51356', 'e5876cc4f1'],
    'element=column': ['ddc6142ca0', '3c8381cc4c'],
    'element=definition': ['c90d273af3', '68e82a648a'],
    'element=footnote': ['f85919fcf3', '3b4626b911'],
    'element=paragraph': ['0138b78586', 'd046da3e59'],
    'element=risk_factor': ['04bc862906', '74f229e2e3'],
    'element=row': ['35ed7203ba', 'c780fc2609'],
    'element=section': ['9d49d49d26', 'bb4724a6a5'],
    'element=sentence': ['70e9c0db65', '0fce0fc04f'],
    'element=sentence_of_paragraph': ['7de6cbf96e', 'c17c2f7f7f'],
    'element=table': ['e5d2279033', '58f1646a6e'],
    'family=append': ['f792cfa933', '4d05278def'],
    'family=delete': ['4be64e2e13', '2afd8fb531'],
    'family=insert': ['71fb56fe38', '52b8c0bb2e'],
    'family=multi_edit': ['1a9e2f3a19', 'a2865532d6'],
    'family=notice': ['501eb04b83', 'bc6b48a085'],
    'family=replace': ['e5d2279033', '338df51356'],
    'family=substitute': ['87605b4fdc', '3b1dd8a2d9'],
    'family=substitute_global': ['8885ec640b', '3a611270fd'],
    'heading_sep=double_hyphen': ['dbbc8aa426', 'c266aec732'],
    'heading_sep=emdash': ['d7200bb19c', 'd629607635'],
    'heading_sep=emdash_spaced': ['93389e0936', 'a46a2968a8'],
    'heading_sep=endash': ['22ca3d732d', '5ffe74188e'],
    'heading_sep=spaced_hyphen': ['0aceb840ab', '693142721c'],
    'locator=cover': ['e5d2279033', '338df51356'],
    'locator=glossary': ['65df5ffbec', 'd493ca53fe'],
    'locator=glossary_page': ['3b8a96b63e', '396d614317'],
    'locator=heading': ['664aba7f8d', '348f5ff2ea'],
    'locator=heading_nocaption': ['0b6a9e1d8e', '37dc933f4e'],
    'locator=heading_page': ['d48e7289dd', '5d6912d980'],
    'locator=none': ['e5876cc4f1', '746c903a8f'],
    'locator=page': ['0d7322b3c1', '96d422b6c5'],
    'locator=pages': ['83ebe07e4c', '58f1104457'],
    'locator=risk_heading': ['9a1d5270fb', '7579a20767'],
    'locator=risk_heading_page': ['0994a87c73', '4af868db49'],
    'locator=scope_all': ['8885ec640b', '3a611270fd'],
    'locator_heading=bare_under': ['0b6a9e1d8e', '7ff91bd6c9'],
    'locator_heading=caption': ['65df5ffbec', 'eb61e94ddc'],
    'locator_heading=caption_titled': ['c342dbd2bc', '0409f7e59e'],
    'locator_heading=heading': ['37dc933f4e', '855f51a27e'],
    'locator_heading=heading_entitled': ['8f674f636d', '1b87ea50bb'],
    'locator_heading=path_bare_under': ['39d8292279', 'f590e645b6'],
    'locator_heading=path_caption': ['03acb7dc15', 'f76b2b59d9'],
    'locator_heading=path_caption_titled': ['fa4c246985', 'c19f5641b4'],
    'locator_heading=path_heading': ['5f7261dee0', '367f1ca06d'],
    'locator_heading=path_heading_entitled': ['e735a28ced', '880ce98cd3'],
    'locator_heading=path_section_entitled': ['f0ed33ebf3', '5ffe74188e'],
    'locator_heading=section_entitled': ['5690e572bb', '2c87b292dd'],
    'locator_page=page': ['f7d65994be', '0d7322b3c1'],
    'locator_page=pages_and': ['83ebe07e4c', '58f1104457'],
    'locator_page=pages_comma': ['964b91f509', '69ca661268'],
    'locator_page=pages_through': ['5d56784506', '5f51389100'],
    'locator_page=roman': ['cbffd86720', 'e616cbab39'],
    'marker=bullet': ['1a9e2f3a19', 'a2865532d6'],
    'marker=none': ['06bfe40d60', '5fc2108081'],
    'marker=number': ['420ae618f8', 'c91bd288a6'],
    'new_noun=none': ['e21a9db16f', '52829a985a'],
    'newtext=block': ['e5d2279033', '338df51356'],
    'newtext=inline': ['1a9e2f3a19', 'a2865532d6'],
    'newtext=none': ['4be64e2e13', '2afd8fb531'],
    'newtext=notice': ['501eb04b83', 'bc6b48a085'],
    'newtext=wrapped_in_quotes': ['2db7bdd345', 'dad8f14d52'],
    'noun=bullet': ['b110ed1a4c', '16f8914971'],
    'noun=bullet_point': ['b7bea7a823', '9ac9a8125f'],
    'noun=bulleted_item': ['b179f1a8aa', '5d9f10b57f'],
    'of_ps=no': ['f7d65994be', '0d7322b3c1'],
    'of_ps=yes': ['5f51389100', '79a17abd20'],
    'order=fronted': ['1a9c8e6fe4', 'f297d5515c'],
    'order=trailing': ['e5d2279033', '338df51356'],
    'ordinal2=last': ['24af8d5573', '0ce1a00b88'],
    'ordinal2=n_to_last': ['29c49aad6b', '6bf4d1fc2b'],
    'ordinal2=next_to_last': ['38a601670c', 'f460ff8892'],
    'ordinal2=numeral': ['9cecfee97d', '71573cde4a'],
    'ordinal2=penultimate': ['7de6cbf96e', 'c17c2f7f7f'],
    'ordinal2=second_to_last': ['ee013ffa86', 'e979b39a78'],
    'ordinal2=word': ['92d61f7297', 'e66288fcc0'],
    'ordinal=after_anchor': ['664aba7f8d', '348f5ff2ea'],
    'ordinal=full': ['9c7e5dea07', 'c0c0f1892f'],
    'ordinal=last': ['0138b78586', 'd046da3e59'],
    'ordinal=n_to_last': ['701aca4f09', '8baddfd64b'],
    'ordinal=next_to_last': ['c9484f1e3f', '0b58af840d'],
    'ordinal=none': ['8193954f85', 'a31c200462'],
    'ordinal=numeral': ['1f240fe0c3', '4df512d0e1'],
    'ordinal=penultimate': ['87196467aa', '74314d4ca9'],
    'ordinal=second_to_last': ['2970d2fcec', 'caec170864'],
    'ordinal=word': ['cdf0ef377f', '71573cde4a'],
    'preamble=hereby_amended': ['468ee50d73', 'ac3340d9f6'],
    'preamble=none': ['b884fdf00c', 'af17710ad1'],
    'preamble=preliminary_updated': ['1a9e2f3a19', 'e7832054c8'],
    'preamble=supplemented_amended': ['a2865532d6', '86dcc792e6'],
    'quotes=curly': ['1a9e2f3a19', 'ac3340d9f6'],
    'quotes=none': ['501eb04b83', 'bc6b48a085'],
    'quotes=single_curly': ['e7832054c8', '06bfe40d60'],
    'quotes=straight': ['a2865532d6', '86dcc792e6'],
    'quotes=tex': ['468ee50d73', 'c91bd288a6'],
    'term=unquoted': ['0e4daf0cff', '8ad77dacbd'],
    'values=quoted': ['8885ec640b', '3a611270fd'],
    'wrap=no_blank': ['a2865532d6', 'edd2a046ae'],
    'wrap=one_line': ['86dcc792e6', '420ae618f8'],
    'wrap=one_word': ['468ee50d73', 'c91bd288a6'],
    'wrap=wrapped': ['1a9e2f3a19', 'e7832054c8'],
}


def test_generated_grammar_meets_the_floor():
    res = gg.run(_EXAMPLES)
    if res.rate < GENERATED_FLOOR:
        pytest.fail(
            f"generated grammar: {res.passed}/{res.total} = {res.rate:.1%} parsed exactly, below the floor "
            f"{GENERATED_FLOOR:.1%}\n\n{gg.tag_table(res)}\n\nSample failures of the worst tags:\n{gg.failure_samples(res, max_tags=40)}",
            pytrace=False,
        )


@pytest.mark.parametrize("tag, eid", [(t, i) for t, ids in MUST_PARSE.items() for i in ids],
                         ids=[f"{t}-{i}" for t, ids in MUST_PARSE.items() for i in ids])
def test_must_parse(tag, eid):
    ex = _BY_ID.get(eid)
    assert ex is not None, f"example {eid} is no longer generated: refresh MUST_PARSE (python -m tests.grammar_gen --must-parse)"
    assert tag in ex.tags
    ok, why = gg.check(ex)
    assert ok, f"{tag}: example {eid} no longer parses exactly:\n" + "\n".join(why) + "\n\n" + ex.text


def test_generation_is_deterministic_fast_and_large():
    t0 = time.perf_counter()
    again = gg.examples()
    assert time.perf_counter() - t0 < 5
    assert [e.id for e in again] == [e.id for e in _EXAMPLES]
    assert len(_EXAMPLES) >= 3000
    assert len(_BY_ID) == len(_EXAMPLES)  # no two stickers alike


def test_answers_are_well_formed():
    for ex in _EXAMPLES:
        items = ex.answer["instructions"] + ex.answer["notices"]
        assert sorted(i["n"] for i in items) == list(range(1, len(items) + 1)), ex.id
        for it in ex.answer["instructions"]:
            assert it["op"] in OPS and it["op"] not in ("notice", "unsupported"), ex.id
            t = it["target"]
            assert t["kind"] in TARGET_KINDS, ex.id
            assert (it["op"] == "delete") == (it["new_text"] == ""), ex.id
            if t.get("pages"):
                assert t["page"] == t["pages"][0], ex.id
            if t.get("scope") == "all":
                assert t["page"] is None and t["old_text"], ex.id
            if it["op"] == "substitute" or (it["op"] == "delete" and t["kind"] == "value"):
                assert t["old_text"], ex.id
        for it in ex.answer["notices"]:
            assert it["op"] == "notice" and it["new_text"], ex.id
