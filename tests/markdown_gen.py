"""Random Markdown for the differential test of the two body readers (``tests/test_fast.py``).

The pieces are chosen to hit the places where block and inline rules meet: container prefixes,
fences, HTML, tables, setext underlines, link syntax split across lines, escapes and backticks.
"""

from __future__ import annotations

import random

PREFIXES = ["", "", "", " ", "  ", "   ", "    ", "      ", "> ", ">", "> > ", "- ", "* ", "+ ", "1. ", "2) ", "\t- ", "\t\t- ", " \t", "\t  ",
            "10. ", "  - ", "    - ", "   1. ", "- > ", "> - ", "-   ", "-     ", "\t", "  \t", "-\t"]
BLOCKS = ["```", "```py", "~~~", "````", "``` `x`", "# ", "## ", "###### ", "####### ", "#", "---", "***", "- - -",
          "===", "--", "| a | b |", "|---|---|", "--- | ---", ":-: | -:", "<div>", "</div>", "<!-- c", "-->",
          "<!-- x -->", "<span>", "<?x", "?>", "<![CDATA[", "]]>", "<script>", "</script>", "<b>x</b>",
          "[ref]: /url", "[ref]:", "[^1]: note", "%%", "    code", "$$", "$$ x $$", "$$x$$ y", "$$$", "[^n]:[[N]]",
          "> [!note] ", "> [!tip]- T", "%% c", "$$ a", "^solo"]
INLINE = ["[[A]]", "[[B#H|c]]", "![[img.png]]", "[[]]", "[[|x]]", "[[a\\|b]]", "`", "``", "`[[C]]`", "[t](u.md)",
          "[t](<a b.md> \"t\")", "![i](p.png)", "[x]", "[", "]", "](", "(", ")", "<http://x.y>", "<a@b.co>", "<b>",
          "</b>", "<!-- [[D]] -->", "\\", "\\[", "\\`", "\\|", "#tag", "#1", " ^blk", "^id", "word", "w", " ", "  ",
          "|", "%%", "*", "_", "~~", "&amp;", "&#91;", "[[E", "]]", "!", "![", "[![i](a.png)](b.md)", "[a [b] c](d.md)",
          "[[F]]]", "[[[G]]", "<", ">", "é", "中文", "\u00a0", "\u2003", "up:: [[P]]", "[up:: [[Q]]]",
          "[t](Note%20A.md#h)", "[t](https://x.y/a)", "[t](JavaScript:x)", "[t](a(b).md)", "[t](<>)", "[[H#^b]]",
          "$", "$$", "$x$", "$ ", " $", "$5", "\\$", "$[[M]]$", "$$[[M]]$$", "$a #m$", "[^1]", "[^x]", "^[", "^[[[F]]]",
          "^[n [t](f.md)]",
          # wiki-link grammar and Markdown destinations as Obsidian reads them (spec B2, B4, B9, B12)
          "[[a [[R]]", "[[R\\]]", "[[ |y]]", "[[\u00a0Z\u00a0|w]]", "[[]]]", "[c](x:y.md)", "[d](C%23.md)",
          "[b](100%.md)", "![b](100%.png)", "[e](./a:b.md)", "[t][r]", "[r]", "[f](//h/x)", "#a#b", "_#u_", "**#v**", "x#y"]


def random_markdown(rng: random.Random, lines: int = 12) -> str:
    """A document of up to ``lines`` lines, each a random container prefix, block start and inline text."""
    out = []
    for _ in range(rng.randint(1, lines)):
        roll = rng.random()
        if roll < 0.15:
            out.append("")
            continue
        line = rng.choice(PREFIXES) if rng.random() < 0.6 else ""
        if rng.random() < 0.3:
            line += rng.choice(BLOCKS)
            if rng.random() < 0.5:
                line += " "
        line += "".join(rng.choice(INLINE) for _ in range(rng.randint(0, 6)))
        out.append(line)
    return "\n".join(out)
