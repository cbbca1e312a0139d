#!/usr/bin/env python3
"""msgz: compresses the format strings of efikexec.efi's messages.

    msgz.py OUTDIR DICT DEPS SRC...

The messages are most of the UEFI image's data, and they repeat words and
phrases ("the kernel", "memory map", " bytes at 0x"). This tool finds every
string literal that is the format argument of a printf-like function (one
declared with __attribute__((format(printf, N, M))) in a file the sources
include), or a macro that is only such a literal, and the literal of
every MSG("...") (lib/fmt.h: a message text printed only through "%-s");
builds one dictionary of at most 381 phrases for all of them, greedily by
bytes saved; and writes each SRC as OUTDIR/SRC with those literals
encoded, in octal escapes: a byte 0x80 + k stands for phrase k (k < 127),
the two bytes 0xff, b for phrase 127 + j, the jth byte value b of 1 to
0xff other than '%' (the phrases that save most come first, in one
byte). lib/fmt.c, built with FMT_DICT, expands the phrases while it
formats, from DICT (a C header: fmt_dict[], the phrases in order, each
NUL-terminated): those of a format, and those of a "%-s" argument. A
phrase may hold the codes of shorter phrases, never a '%': every
conversion stays in the format where it was, so GCC's -Wformat checks the
encoded copies as it checks the sources. Only the format's text and
MSG()s are encoded, never another argument: a %s stays what it was (a
UTF-8 file name, say). Formats that are not literals are left as they
are.

The copies keep the line numbers (and #line names the source), so GCC's
messages point at the source. Files are written only when their text
changes: a build that changes no message recompiles only what changed.
DEPS is a make dependency file for what was read. The output depends only
on the input: the same sources give the same bytes.

Fails, and fails the build, on a format literal that already holds a byte
>= 0x80 (it would read as a code), and if decoding any encoded literal as
lib/fmt.c does would not give back the original.
"""

import collections
import heapq
import os
import re
import sys

CODE_BASE = 0x80
SHORT_CODES = 127    # 0x80 .. 0xfe: one byte
EXT = 0xff           # 0xff, b: phrase SHORT_CODES + EXT_BYTES.index(b)
EXT_BYTES = [b for b in range(1, 0x100) if b != ord('%')]
CODES = SHORT_CODES + len(EXT_BYTES)
MAX_PHRASE = 32      # longest phrase considered, in symbols
MAX_DEPTH = 12       # deepest nesting of phrases lib/fmt.c may meet


class Error(Exception):
    pass


# A symbol is a character of a str: below 0x80 itself, chr(0x80 + k)
# phrase k, which takes one byte in a format or two.

def width(c):
    return 2 if ord(c) >= CODE_BASE + SHORT_CODES else 1


def size(s):
    """The bytes symbols s take in a format."""
    return len(s) + sum(1 for c in s if ord(c) >= CODE_BASE + SHORT_CODES)


# ---------------------------------------------------------------- lexing

TOKEN_RE = re.compile(r'''
    (?P<ws>[ \t\f\v\r]+|\\\n)
  | (?P<nl>\n)
  | (?P<comment>//(?:[^\n\\]|\\.|\\\n)*|/\*.*?\*/)
  | (?P<string>(?:u8|u|U|L)?"(?:[^"\\\n]|\\.|\\\n)*")
  | (?P<char>(?:u8|u|U|L)?'(?:[^'\\\n]|\\.|\\\n)*')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*)
  | (?P<punct>.)
''', re.X | re.S)


class Tok:
    __slots__ = ('kind', 'text', 'start', 'end', 'line')

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = \
            kind, text, start, end, line


def lex(path, src):
    """The tokens of src, without whitespace and comments; a preprocessor
    line (with its continuations) is one token of kind 'pp'."""
    toks = []
    pos, line, bol = 0, 1, True
    while pos < len(src):
        if bol and PP_RE.match(src, pos):
            end = pp_end(src, pos)
            toks.append(Tok('pp', src[pos:end], pos, end, line))
            line += src.count('\n', pos, end)
            pos, bol = end, False
            continue
        m = TOKEN_RE.match(src, pos)
        kind, text = m.lastgroup, m.group()
        if src.startswith('/*', pos) and kind != 'comment':
            raise Error('%s:%d: unterminated comment' % (path, line))
        if kind not in ('ws', 'nl', 'comment'):
            toks.append(Tok(kind, text, pos, m.end(), line))
        if kind == 'nl':
            bol = True
        elif kind not in ('ws', 'comment'):
            bol = False
        line += text.count('\n')
        pos = m.end()
    return toks


PP_RE = re.compile(r'[ \t]*#')


def pp_end(src, pos):
    """Where the preprocessor line at pos ends: at the first newline that
    is neither escaped nor inside a comment."""
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if m.lastgroup == 'nl':
            break
        pos = m.end()
    return pos


SIMPLE_ESCAPES = {'n': 10, 't': 9, 'r': 13, 'a': 7, 'b': 8, 'f': 12,
                  'v': 11, '\\': 92, "'": 39, '"': 34, '?': 63}


def literal_bytes(path, tok):
    """The bytes of a "..." literal (no prefix), without the NUL."""
    body = tok.text[1:-1].replace('\\\n', '')
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != '\\':
            out += c.encode('latin-1')  # the source's byte
            i += 1
            continue
        e = body[i + 1]
        if e in SIMPLE_ESCAPES:
            out.append(SIMPLE_ESCAPES[e])
            i += 2
        elif e in '01234567':
            m = re.compile('[0-7]{1,3}').match(body, i + 1)
            if int(m.group(), 8) > 255:
                _bad(path, tok, 'octal escape out of range')
            out.append(int(m.group(), 8))
            i = m.end()
        elif e == 'x':
            m = re.compile('[0-9A-Fa-f]+').match(body, i + 2)
            if not m or int(m.group(), 16) > 255:
                _bad(path, tok, 'bad hex escape')
            out.append(int(m.group(), 16))
            i = m.end()
        else:
            _bad(path, tok, 'escape \\%s' % e)
    return bytes(out)


def _bad(path, tok, why):
    raise Error('%s:%d: format literal: %s' % (path, tok.line, why))


# ------------------------------------------------- what the sources hold

ATTR_RE = re.compile(r'\b(?:__)?format(?:__)?\s*\(\s*(?:__)?(?:gnu_)?printf'
                     r'(?:__)?\s*,\s*(\d+)\s*,\s*(\d+)\s*\)')


def format_functions(path, toks):
    """{name: position of the format argument (1-based)} declared in toks."""
    found = {}
    for i, t in enumerate(toks):
        if t.text not in ('__attribute__', '__attribute'):
            continue
        # the attribute's tokens: __attribute__ ( ( format ( printf , N , M ) ) )
        j, depth = i + 1, 0
        while j < len(toks):
            depth += {'(': 1, ')': -1}.get(toks[j].text, 0)
            if depth == 0:
                break
            j += 1
        m = ATTR_RE.search(' '.join(x.text for x in toks[i:j + 1]))
        if not m:
            continue
        name = None
        if i > 0 and toks[i - 1].text == ')':
            # after the declarator: the name precedes its parameter list
            k, depth = i - 1, 0
            while k >= 0:
                depth += {')': 1, '(': -1}.get(toks[k].text, 0)
                if depth == 0:
                    break
                k -= 1
            if k > 0 and toks[k - 1].kind == 'ident':
                name = toks[k - 1].text
        else:
            # before the declaration: the first identifier followed by '('
            for k in range(j + 1, len(toks) - 1):
                if toks[k].text in (';', '{'):
                    break
                if toks[k].kind == 'ident' and toks[k + 1].text == '(' and \
                        toks[k].text not in ('__attribute__', '__attribute'):
                    name = toks[k].text
                    break
        if name:  # else a pointer: its calls are not encoded
            found[name] = int(m.group(1))
    return found


INCLUDE_RE = re.compile(r'[ \t]*#[ \t]*include[ \t]*"([^"]+)"')


def includes(path, toks):
    """The files path includes with "...", resolved as GCC does with -I."""
    out = []
    for t in toks:
        if t.kind != 'pp':
            continue
        m = INCLUDE_RE.match(t.text)
        if not m:
            continue
        for d in (os.path.dirname(path), '.'):
            cand = os.path.normpath(os.path.join(d, m.group(1)))
            if os.path.isfile(cand):
                out.append(cand)
                break
        # not found: generated, or a system header; GCC will say
    return out


class Call:
    __slots__ = ('path', 'toks', 'data')

    def __init__(self, path, toks, data):
        self.path, self.toks, self.data = path, toks, data


DEFINE_RE = re.compile(r'[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)'
                       r'([ \t]|$)')


def string_macros(path, toks):
    """{name: [tokens]} of the object-like macros in toks that are string
    literals and nothing else ("#define MSG "..." "...""), whose uses as a
    format are encoded too."""
    found = {}
    for t in toks:
        m = DEFINE_RE.match(t.text) if t.kind == 'pp' else None
        if not m:
            continue
        body = lex(path, t.text[m.end():])
        if body and all(x.kind == 'string' for x in body):
            found[m.group(1)] = body
    return found


def format_literals(path, toks, funcs, macros):
    """The calls' format literals in toks: [Call], each with the tokens to
    replace (adjacent literals, or the name of a macro in macros) and the
    literal's bytes."""
    calls = []
    for i, t in enumerate(toks):
        if t.kind != 'ident' or t.text not in funcs or \
                i + 1 >= len(toks) or toks[i + 1].text != '(':
            continue
        if i > 0 and toks[i - 1].text in ('.', '>'):
            continue  # a member, not the function
        # the arguments, split at the top-level commas
        args, cur, depth, j = [], [], 0, i + 2
        while j < len(toks):
            x = toks[j].text
            if x in '([{':
                depth += 1
            elif x in ')]}':
                if depth == 0:
                    break
                depth -= 1
            if x == ',' and depth == 0:
                args.append(cur)
                cur = []
            else:
                cur.append(toks[j])
            j += 1
        args.append(cur)
        n = funcs[t.text]
        if len(args) < n:
            continue
        arg = lits = args[n - 1]
        if len(arg) == 1 and arg[0].text in macros:
            lits = macros[arg[0].text]
        if not lits or any(x.kind != 'string' for x in lits):
            continue  # not a literal (a declaration, or a variable)
        if any(not x.text.startswith('"') and not x.text.startswith('u8"')
               for x in lits):
            continue  # a wide literal: not ours (and not char *)
        data = b''
        for x in lits:
            lit = Tok(x.kind, x.text[x.text.index('"'):], x.start, x.end,
                      x.line)
            data += literal_bytes(path, lit)
        bad = [b for b in data if b >= CODE_BASE]
        if bad:
            raise Error('%s:%d: the format of %s() holds byte 0x%02x, which '
                        'efikexec.efi would read as a phrase code '
                        '(tools/msgz.py): write it as an argument ("%%s")' %
                        (path, arg[0].line, t.text, bad[0]))
        calls.append(Call(path, arg, data))
    return calls


# ------------------------------------------------------- the dictionary

SPEC_RE = re.compile(rb"%[-0+ #']*\*?[0-9]*(?:\.\*?[0-9]*)?[hlLqjzt]*[\s\S]?")


def split_format(data):
    """[(is_text, bytes)]: the runs of text and the conversions, in order.
    A conversion takes at least as many bytes as lib/fmt.c reads for it;
    a NUL (between the names of a MSG("a\\0b")) is never text, so that no
    phrase holds one."""
    out, pos = [], 0
    for m in re.finditer(SPEC_RE.pattern + rb'|\0', data):
        if m.start() > pos:
            out.append((True, data[pos:m.start()]))
        out.append((False, m.group()))
        pos = m.end()
    if pos < len(data):
        out.append((True, data[pos:]))
    return out


def build_dictionary(texts):
    """Phrases for the text runs texts (a list of str of symbols).
    Greedy: each step takes the phrase that saves the most bytes net,
    counting the phrase's own bytes and NUL and the bytes of the code it
    gets (one for the first SHORT_CODES, two after), and replaces it
    everywhere, in the runs and in the phrases taken before. Returns
    (phrases, {run: encoded run})."""
    # equal runs are replaced alike: each distinct run once, with a weight
    weight = {}
    for t in texts:
        weight[t] = weight.get(t, 0) + 1
    segs = sorted(weight)      # the runs, then the phrases as they come
    weights = [weight[t] for t in segs]
    # occurrences of each substring, overlapping, as what was added less
    # what was taken away (Counter.update counts in C)
    added, taken = collections.Counter(), collections.Counter()

    def count(x):
        return added[x] - taken[x]

    def subs(s, spans=None):
        """The substrings of s that may be phrases; with spans (sorted
        [start, end) pairs), only those that overlap one."""
        n = len(s)
        if spans is None:
            return [s[i:j] for i in range(n - 1)
                    for j in range(i + 2, min(n, i + MAX_PHRASE) + 1)]
        out, k = [], 0
        for i in range(n - 1):
            while k < len(spans) and spans[k][1] <= i:
                k += 1
            if k == len(spans):
                break
            lo = max(i + 2, spans[k][0] + 1)
            out += [s[i:j] for j in range(lo, min(n, i + MAX_PHRASE) + 1)]
        return out

    def spans(s, x, width):
        """Where x occurs in s, as str.replace finds it, each occurrence
        [start, start + width) after the replacements before it."""
        out, pos, shift = [], s.find(x), 0
        while pos >= 0:
            out.append((pos - shift, pos - shift + width))
            shift += len(x) - width
            pos = s.find(x, pos + len(x))
        return out

    phrases = []

    def gain(x, n):
        b = size(x)
        return n * (b - width(chr(CODE_BASE + len(phrases)))) - (b + 1)

    def push(x):
        g = gain(x, count(x))
        if g > 0:
            heapq.heappush(heap, (-g, x))

    for s, w in zip(segs, weights):
        added.update(subs(s) * w)
    heap = [(-gain(x, n), x) for x, n in added.items() if gain(x, n) > 0]
    heapq.heapify(heap)
    while len(phrases) < CODES and heap:
        # An estimate counts overlapping occurrences: it bounds the true
        # gain from above (and one made for a one-byte code that of a
        # two-byte code). Pop until no estimate left beats the best true
        # gain (ties: the smaller string).
        best, popped = None, []
        while heap:
            neg, x = heap[0]
            if best is not None and -neg < best[0]:
                break
            heapq.heappop(heap)
            if -neg != gain(x, count(x)):
                push(x)  # stale: counts fell since
                continue
            popped.append((neg, x))
            g = gain(x, sum(s.count(x) * w for s, w in zip(segs, weights)
                            if x in s))
            if g > 0 and (best is None or (g, best[1]) > (best[0], x)):
                best = (g, x)
        for e in popped:
            if best is None or e[1] != best[1]:
                heapq.heappush(heap, e)
        if best is None:
            break
        x = best[1]
        code = chr(CODE_BASE + len(phrases))
        grown = set()
        for i, s in enumerate(segs):
            if x in s:
                # only the substrings that overlap x change
                taken.update(subs(s, spans(s, x, len(x))) * weights[i])
                segs[i] = s.replace(x, code)
                new = subs(segs[i], spans(s, x, 1))
                added.update(new * weights[i])
                grown.update(new)
        phrases.append(x)
        segs.append(x)
        weights.append(1)
        added.update(subs(x))
        grown.update(subs(x))
        # A count that fell leaves its entry above the truth, found stale
        # when popped; one that grew needs an entry. Only a substring with
        # the new code, or one of the new phrase, can have grown.
        for y in sorted(grown):
            push(y)
    k = len(weight)
    return segs[k:], dict(zip(sorted(weight), segs[:k]))


def optimal(phrases, runs):
    """Each run (and each phrase) encoded again in the fewest bytes the
    phrases allow, which replacing them one after the other in order does
    not always find. A phrase may use only phrases shorter than itself
    (expanded): they never nest in a cycle. Returns (phrases, {run:
    encoded run}), a phrase no longer used left empty."""
    texts = [expand(phrases, x) for x in phrases]
    starting = {}
    for k, t in enumerate(texts):
        if t:
            starting.setdefault(t[0], []).append(k)

    def parse(t, limit):
        best = [0] * (len(t) + 1)   # bytes for t[i:]
        pick = [None] * len(t)
        for i in range(len(t) - 1, -1, -1):
            best[i], pick[i] = best[i + 1] + 1, (t[i], 1)
            for k in starting.get(t[i], ()):
                n, c = len(texts[k]), chr(CODE_BASE + k)
                if n < limit and t.startswith(texts[k], i) and \
                        best[i + n] + width(c) < best[i]:
                    best[i], pick[i] = best[i + n] + width(c), (c, n)
        out, i = [], 0
        while i < len(t):
            out.append(pick[i][0])
            i += pick[i][1]
        return ''.join(out)

    phrases = [parse(t, len(t)) for t in texts]
    enc = {r: parse(r, len(r) + 1) for r in runs}
    # a phrase nothing uses any more is left empty
    used, todo = set(), [c for e in enc.values() for c in e]
    while todo:
        c = todo.pop()
        if ord(c) >= CODE_BASE and c not in used:
            used.add(c)
            todo.extend(phrases[ord(c) - CODE_BASE])
    return ([x if chr(CODE_BASE + k) in used else ''
             for k, x in enumerate(phrases)], enc)


def expand(phrases, s, depth=0):
    if depth > MAX_DEPTH:
        raise Error('phrases nest deeper than %d' % MAX_DEPTH)
    out = []
    for c in s:
        if ord(c) >= CODE_BASE:
            out.append(expand(phrases, phrases[ord(c) - CODE_BASE], depth + 1))
        else:
            out.append(c)
    return ''.join(out)


# --------------------------------------------------------------- output

def c_literal(s):
    """s (symbols) as a C string literal, codes and controls in octal."""
    out, prev = ['"'], ''
    for c in s:
        o = ord(c)
        if o >= CODE_BASE + SHORT_CODES:
            out.append('\\%03o\\%03o' %
                       (EXT, EXT_BYTES[o - CODE_BASE - SHORT_CODES]))
        elif c == '\n':
            out.append('\\n')
        elif c == '\t':
            out.append('\\t')
        elif c in '"\\' or (c == '?' and prev == '?'):
            out.append('\\' + c)
        elif o < 0x20 or o >= 0x7f:
            out.append('\\%03o' % o)
        else:
            out.append(c)
        prev = c
    out.append('"')
    return ''.join(out)


def comment_safe(s):
    """s, fit to go inside a /* comment */."""
    return s.replace('*/', '* /').replace('/*', '/ *').replace('??', '?\\?')


def write_if_changed(path, text):
    try:
        with open(path, encoding='latin-1', newline='') as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='latin-1', newline='') as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) < 4:
        raise Error('usage: msgz.py OUTDIR DICT DEPS SRC...')
    outdir, dict_path, deps_path, srcs = argv[0], argv[1], argv[2], argv[3:]
    srcs = sorted(set(os.path.normpath(s) for s in srcs))

    # read the sources and everything they include with "..."
    texts, toks = {}, {}
    todo, read = list(srcs), []
    while todo:
        p = todo.pop()
        if p in texts:
            continue
        with open(p, 'rb') as f:
            raw = f.read()
        texts[p] = raw.decode('latin-1')  # bytes as they are
        toks[p] = lex(p, texts[p])
        read.append(p)
        todo.extend(includes(p, toks[p]))

    funcs = {}
    for p in sorted(texts):
        for name, n in sorted(format_functions(p, toks[p]).items()):
            if funcs.get(name, n) != n:
                raise Error('%s: %s() has its format at two positions' %
                            (p, name))
            funcs[name] = n
    funcs['MSG'] = 1  # lib/fmt.h: a literal printed through "%-s"

    defs = {}
    for p in sorted(texts):
        for name, body in string_macros(p, toks[p]).items():
            defs.setdefault(name, {})[tuple(x.text for x in body)] = body
    # a name defined twice, differently, is left alone
    macros = {name: list(d.values())[0] for name, d in defs.items()
              if len(d) == 1}

    # all formats are checked, those of the headers too (not encoded)
    calls = {p: format_literals(p, toks[p], funcs, macros)
             for p in sorted(texts)}
    # each distinct literal is stored once (the compiler and the linker
    # merge equal strings), so each counts once
    distinct = sorted(set(c.data for p in srcs for c in calls[p]))
    runs = []
    for d in distinct:
        runs += [r.decode('ascii') for is_text, r in split_format(d)
                 if is_text]
    phrases, _ = build_dictionary(runs)
    phrases, enc = optimal(phrases, sorted(set(runs)))
    # The one-byte codes for the phrases used most once every run is
    # encoded (greedy order is an estimate of that), until nothing changes.
    for _ in range(8):
        uses = collections.Counter()
        for r in runs:
            uses.update(enc[r])
        for x in phrases:
            uses.update(x)
        plain = [expand(phrases, x) for x in phrases]
        order = sorted(range(len(phrases)),
                       key=lambda k: (-uses[chr(CODE_BASE + k)], k))
        if order == list(range(len(phrases))):
            break
        phrases, enc = optimal([plain[k] for k in order], sorted(set(runs)))
    while phrases and not phrases[-1]:
        phrases.pop()

    encoded = {}
    for d in distinct:
        e = ''.join(enc[r.decode('ascii')] if is_text else r.decode('ascii')
                    for is_text, r in split_format(d))
        if expand(phrases, e) != d.decode('ascii'):
            raise Error('encoding %r does not decode to itself' % d)
        encoded[d] = e

    before = sum(len(d) for d in distinct)
    after = sum(size(e) for e in encoded.values())
    dict_bytes = sum(size(x) + 1 for x in phrases)
    sys.stderr.write('msgz: %d format literals, %d distinct, %d bytes -> %d '
                     '+ %d of dictionary (%d phrases): %d saved\n' %
                     (sum(len(calls[p]) for p in srcs), len(distinct),
                      before, after, dict_bytes, sum(1 for x in phrases if x),
                      before - after - dict_bytes))

    # the copies
    for p in srcs:
        src, out, pos = texts[p], [], 0
        out.append('#line 1 %s\n' % c_literal(p))
        for c in calls[p]:
            first, last = c.toks[0], c.toks[-1]
            out.append(src[pos:first.start])
            out.append(c_literal(encoded[c.data]))
            out.append('\n' * src.count('\n', first.start, last.end))
            pos = last.end
        out.append(src[pos:])
        write_if_changed(os.path.join(outdir, p), ''.join(out))

    # the dictionary
    lines = ['/* Generated by tools/msgz.py from the sources of efikexec.efi:',
             ' * phrase k stands for byte 0x80 + k in a format string (k <',
             ' * %d), phrase %d + j for 0xff and the jth byte of 1 to 0xff' %
             (SHORT_CODES, SHORT_CODES),
             " * other than '%'; those from FMT_DICT_PHRASES on are empty.",
             ' * lib/fmt.c never reads past the end. */']
    lines += ['#define FMT_DICT_PHRASES %d' % len(phrases), '',
              'static const char fmt_dict[] =']
    for k, x in enumerate(phrases):
        code = ('%02x' % (CODE_BASE + k) if k < SHORT_CODES else
                'ff %02x' % EXT_BYTES[k - SHORT_CODES])
        lines.append('\t%s "\\0" /* %s %s */' %
                     (c_literal(x), code,
                      comment_safe(repr(expand(phrases, x)))))
    lines.append('\t"";')
    write_if_changed(dict_path, '\n'.join(lines) + '\n')

    # what was read, for make
    stamp = os.path.join(outdir, 'msgz.stamp')
    deps = ['%s: %s' % (stamp, ' '.join(sorted(read)))]
    deps += ['%s:' % p for p in sorted(read)]
    write_if_changed(deps_path, '\n'.join(deps) + '\n')


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except Error as e:
        sys.stderr.write('msgz: %s\n' % e)
        sys.exit(1)
