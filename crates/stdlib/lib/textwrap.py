"""Text wrapping and filling (pyvm's own implementation of the textwrap module).

The text is cut into chunks exactly where CPython's textwrap cuts it -- runs of
whitespace, words, the parts of hyphenated words ("goof-" "ball") and em-dashes
("--") between words -- and the chunks are packed into lines with the same rules
(whitespace dropped at line ends, long words broken, preferably after a hyphen,
max_lines with a placeholder), so wrap(), fill() and shorten() give the same lines
as CPython. The chunking is done by a hand-written scanner instead of a regular
expression.
"""

__all__ = ["TextWrapper", "wrap", "fill", "dedent", "indent", "shorten"]

# The whitespace textwrap recognises (deliberately ASCII only, as in CPython).
_whitespace = "\t\n\x0b\x0c\r "


# ----- character classes used to find chunk boundaries ------------------------------------

def _is_word_char(c):
    # \w: letters, digits and numerics of any script, and the underscore.
    return c.isalnum() or c == "_"


def _is_letter(c):
    # A word character that is not a decimal digit.
    return (c.isalnum() or c == "_") and not c.isdecimal()


def _is_word_punct(c):
    # A character that may end a word followed by an em-dash.
    return c.isalnum() or c in "_!\"'&.,?"


def _dash_run_before_word(text, pos):
    """If text[pos:] starts with two or more hyphens followed by a word character,
    the index just after the hyphens; else -1."""
    n = len(text)
    end = pos
    while end < n and text[end] == "-":
        end += 1
    if end - pos >= 2 and end < n and _is_word_char(text[end]):
        return end
    return -1


def _letter_at(text, i):
    return 0 <= i < len(text) and _is_letter(text[i])


def _breakable_hyphen(text, q):
    # text[q] is '-': the text may break after it when it joins two letters (or a
    # letter and a hyphenated letter sequence like "e-mail") on its left and at
    # least two letters, possibly around one more hyphen, on its right.
    left = ((_letter_at(text, q - 2) and _letter_at(text, q - 1))
            or (_letter_at(text, q - 3) and text[q - 2] == "-" and _letter_at(text, q - 1)))
    if not left or not _letter_at(text, q + 1):
        return False
    if _letter_at(text, q + 2):
        return True
    return q + 3 < len(text) and text[q + 2] == "-" and _letter_at(text, q + 3)


def _word_end(text, pos):
    # The end of the word chunk starting at text[pos] (not whitespace): the shortest
    # run of non-whitespace that ends after a breakable hyphen, before whitespace or
    # the end, or before an em-dash that follows word punctuation.
    n = len(text)
    q = pos + 1
    while True:
        if q == n:
            return q
        c = text[q]
        if c == "-" and _breakable_hyphen(text, q):
            return q + 1
        if c in _whitespace:
            return q
        if c == "-" and _is_word_punct(text[q - 1]) and _dash_run_before_word(text, q) >= 0:
            return q
        q += 1


def _split_hyphenated(text):
    chunks = []
    n = len(text)
    pos = 0
    while pos < n:
        c = text[pos]
        if c in _whitespace:
            end = pos + 1
            while end < n and text[end] in _whitespace:
                end += 1
        else:
            end = -1
            if c == "-" and pos > 0 and _is_word_punct(text[pos - 1]):
                end = _dash_run_before_word(text, pos)
            if end < 0:
                end = _word_end(text, pos)
        chunks.append(text[pos:end])
        pos = end
    return chunks


def _split_on_whitespace(text):
    # Alternating runs of whitespace and of everything else.
    chunks = []
    n = len(text)
    pos = 0
    while pos < n:
        in_space = text[pos] in _whitespace
        end = pos + 1
        while end < n and (text[end] in _whitespace) == in_space:
            end += 1
        chunks.append(text[pos:end])
        pos = end
    return chunks


def _ends_sentence(chunk):
    # A lowercase ASCII letter, then '.', '!' or '?', then maybe a closing quote.
    if chunk and chunk[-1] in "\"'":
        chunk = chunk[:-1]
    return len(chunk) >= 2 and chunk[-1] in ".!?" and "a" <= chunk[-2] <= "z"


class TextWrapper:
    """Wrap paragraphs of text; the keyword arguments of wrap()/fill() are its
    attributes:

    width (70), initial_indent / subsequent_indent (prefixes of the first / other
    lines, counted in the width), expand_tabs (True) and tabsize (8),
    replace_whitespace (True: each whitespace character becomes a space),
    fix_sentence_endings (False: two spaces after a sentence), break_long_words
    (True), drop_whitespace (True: no whitespace at line starts and ends),
    break_on_hyphens (True), max_lines (None) and placeholder (' [...]', ends a
    text truncated to max_lines).
    """

    unicode_whitespace_trans = {ord(c): ord(" ") for c in _whitespace}

    def __init__(self, width=70, initial_indent="", subsequent_indent="", expand_tabs=True,
                 replace_whitespace=True, fix_sentence_endings=False, break_long_words=True,
                 drop_whitespace=True, break_on_hyphens=True, tabsize=8, *, max_lines=None,
                 placeholder=" [...]"):
        self.width = width
        self.initial_indent = initial_indent
        self.subsequent_indent = subsequent_indent
        self.expand_tabs = expand_tabs
        self.replace_whitespace = replace_whitespace
        self.fix_sentence_endings = fix_sentence_endings
        self.break_long_words = break_long_words
        self.drop_whitespace = drop_whitespace
        self.break_on_hyphens = break_on_hyphens
        self.tabsize = tabsize
        self.max_lines = max_lines
        self.placeholder = placeholder

    # -- chunking ---------------------------------------------------------------------

    def _munge_whitespace(self, text):
        if self.expand_tabs:
            text = text.expandtabs(self.tabsize)
        if self.replace_whitespace:
            text = text.translate(self.unicode_whitespace_trans)
        return text

    def _split(self, text):
        if self.break_on_hyphens is True:
            return _split_hyphenated(text)
        return _split_on_whitespace(text)

    def _split_chunks(self, text):
        return self._split(self._munge_whitespace(text))

    def _fix_sentence_endings(self, chunks):
        # A single space after a sentence end becomes two.
        i = 0
        while i < len(chunks) - 1:
            if chunks[i + 1] == " " and _ends_sentence(chunks[i]):
                chunks[i + 1] = "  "
                i += 2
            else:
                i += 1

    # -- packing chunks into lines ------------------------------------------------------

    def _handle_long_word(self, reversed_chunks, cur_line, cur_len, width):
        # The next chunk does not fit on any line: put as much of it as fits on this
        # line (cut after its last hyphen in that part, if any), or, when long words
        # must not be broken, the whole word on a line of its own.
        space_left = 1 if width < 1 else width - cur_len
        if self.break_long_words:
            chunk = reversed_chunks[-1]
            end = space_left
            if self.break_on_hyphens and len(chunk) > space_left:
                hyphen = chunk.rfind("-", 0, space_left)
                if hyphen > 0 and chunk[:hyphen].strip("-"):
                    end = hyphen + 1
            cur_line.append(chunk[:end])
            reversed_chunks[-1] = chunk[end:]
        elif not cur_line:
            cur_line.append(reversed_chunks.pop())

    def _wrap_chunks(self, chunks):
        if self.width <= 0:
            raise ValueError("invalid width %r (must be > 0)" % self.width)
        if self.max_lines is not None:
            indent = self.subsequent_indent if self.max_lines > 1 else self.initial_indent
            if len(indent) + len(self.placeholder.lstrip()) > self.width:
                raise ValueError("placeholder too large for max width")
        lines = []
        chunks = chunks[::-1]  # consumed from the end
        while chunks:
            indent = self.subsequent_indent if lines else self.initial_indent
            width = self.width - len(indent)
            cur_line = []
            cur_len = 0
            # No whitespace at the start of a line (except the first one).
            if self.drop_whitespace and lines and chunks[-1].strip() == "":
                chunks.pop()
            while chunks and cur_len + len(chunks[-1]) <= width:
                chunk = chunks.pop()
                cur_line.append(chunk)
                cur_len += len(chunk)
            if chunks and len(chunks[-1]) > width:
                self._handle_long_word(chunks, cur_line, cur_len, width)
                cur_len = sum(len(c) for c in cur_line)
            if self.drop_whitespace and cur_line and cur_line[-1].strip() == "":
                cur_len -= len(cur_line.pop())
            if not cur_line:
                continue
            rest_is_blank = (not chunks or (self.drop_whitespace and len(chunks) == 1
                                            and not chunks[0].strip()))
            if (self.max_lines is None or len(lines) + 1 < self.max_lines
                    or (rest_is_blank and cur_len <= width)):
                lines.append(indent + "".join(cur_line))
                continue
            # This is the last line allowed and text remains: end with the placeholder,
            # dropping chunks from this line until it fits after a word.
            while cur_line:
                if cur_line[-1].strip() and cur_len + len(self.placeholder) <= width:
                    cur_line.append(self.placeholder)
                    lines.append(indent + "".join(cur_line))
                    return lines
                cur_len -= len(cur_line.pop())
            if lines:
                prev_line = lines[-1].rstrip()
                if len(prev_line) + len(self.placeholder) <= self.width:
                    lines[-1] = prev_line + self.placeholder
                    return lines
            lines.append(indent + self.placeholder.lstrip())
            return lines
        return lines

    # -- public interface ---------------------------------------------------------------

    def wrap(self, text):
        """The lines (without newlines) of the single paragraph text, wrapped."""
        chunks = self._split_chunks(text)
        if self.fix_sentence_endings:
            self._fix_sentence_endings(chunks)
        return self._wrap_chunks(chunks)

    def fill(self, text):
        """The paragraph text wrapped, as one string."""
        return "\n".join(self.wrap(text))


def wrap(text, width=70, **kwargs):
    """Wrap a single paragraph into a list of lines of at most width columns."""
    return TextWrapper(width=width, **kwargs).wrap(text)


def fill(text, width=70, **kwargs):
    """Wrap a single paragraph into one string of lines of at most width columns."""
    return TextWrapper(width=width, **kwargs).fill(text)


def shorten(text, width, **kwargs):
    """Collapse the whitespace of text and, if it is still wider than width, keep
    as many whole words as fit before the placeholder."""
    wrapper = TextWrapper(width=width, max_lines=1, **kwargs)
    return wrapper.fill(" ".join(text.strip().split()))


def dedent(text):
    """Remove the longest common leading whitespace (spaces and tabs, compared
    literally) from every line; lines of only spaces and tabs become empty."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line and not line.strip(" \t"):
            lines[i] = ""
    margin = None
    for line in lines:
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        lead = line[:len(line) - len(stripped)]
        if margin is None or margin.startswith(lead):
            margin = lead
        elif not lead.startswith(margin):
            common = 0
            for a, b in zip(margin, lead):
                if a != b:
                    break
                common += 1
            margin = margin[:common]
    if margin:
        cut = len(margin)
        lines = [line[cut:] if line.startswith(margin) else line for line in lines]
    return "\n".join(lines)


def indent(text, prefix, predicate=None):
    """Add prefix to the lines of text for which predicate(line) is true (by default,
    the lines that are not just whitespace)."""
    out = []
    for line in text.splitlines(True):
        if predicate(line) if predicate is not None else line.strip():
            out.append(prefix + line)
        else:
            out.append(line)
    return "".join(out)
