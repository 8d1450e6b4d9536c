"""text_preprocessing: its messages, the errors it recognises, its classic mistakes."""

from autograder.registry import Mistake


def _doc(name: str, zh: str) -> dict[str, str]:
    return {"en": f"(the docstring of {name} in assignments/text_preprocessing.py)", "zh": zh}


MESSAGES = {
    # -- what the suite expected -----------------------------------------------------
    "tp.expected_token_lists": {"en": "a list holding one list of tokens per sentence",
                                "zh": "每个句子对应一个词元列表的列表"},
    "tp.expected_counter": {"en": "a collections.Counter of the tokens",
                            "zh": "词元的 `collections.Counter`"},
    "tp.expected_int": {"en": "an int", "zh": "整数"},
    "tp.kind.list": {"en": "list", "zh": "列表"},
    "tp.kind.tuple": {"en": "tuple", "zh": "元组"},
    "tp.no_attribute": {"en": "missing (AttributeError)", "zh": "不存在（`AttributeError`）"},
    # -- tokenize ----------------------------------------------------------------------
    "tokenize.flat": {
        "en": "tokenize returned one flat list of {actual} tokens: return one list of tokens "
              "per sentence ({count} lists), e.g. [sentence.split(' ') for sentence in "
              "sentences].",
        "zh": "tokenize 返回了一个含 {actual} 个词元的扁平列表：应当为每个句子返回一个词元列表"
              "（共 {count} 个列表），例如 `[sentence.split(' ') for sentence in sentences]`。",
    },
    "tokenize.length": {
        "en": "tokenize returned {actual} token lists for {expected} sentences: return exactly "
              "one list per sentence, in order.",
        "zh": "tokenize 对 {expected} 个句子返回了 {actual} 个词元列表：应当按顺序为每个句子"
              "恰好返回一个列表。",
    },
    "tokenize.not_token_list": {
        "en": "Item {index} of what tokenize returned is {actual}, not a list of str tokens.",
        "zh": "tokenize 返回值的第 {index} 项是{actual}，而不是由 str 词元组成的列表。",
    },
    "tokenize.chars_for_words": {
        "en": "tokenize(sentences, 'word') splits the sentences into characters: for 'word', "
              "split each sentence at its spaces (sentence.split(' ')); list(sentence) is "
              "for 'char'.",
        "zh": "tokenize(sentences, 'word') 把句子切成了字符：'word' 应当按空格切分每个句子"
              "（`sentence.split(' ')`）；`list(sentence)` 是 'char' 的做法。",
    },
    "tokenize.words_for_chars": {
        "en": "tokenize(sentences, 'char') splits the sentences into words: for 'char', "
              "return list(sentence), one token per character.",
        "zh": "tokenize(sentences, 'char') 把句子切成了单词：'char' 应当返回 "
              "`list(sentence)`，每个字符一个词元。",
    },
    "tokenize.chars_no_spaces": {
        "en": "tokenize(sentences, 'char') drops the spaces: a space is a character too, "
              "and the model needs it to know where words end. Return list(sentence).",
        "zh": "tokenize(sentences, 'char') 丢掉了空格：空格也是字符，模型要靠它知道单词在哪里"
              "结束。请返回 `list(sentence)`。",
    },
    "tokenize.wrong_tokens": {
        "en": "tokenize(sentences, {mode}) splits the sentence {sentence} into {actual}; "
              "expected {expected}.",
        "zh": "tokenize(sentences, {mode}) 把句子 {sentence} 切成了 {actual}；应为 {expected}。",
    },
    "tokenize.printed": {
        "en": "tokenize(sentences, token={token}) printed a message and returned None: an "
              "unknown token type is an error. Raise it, e.g. raise ValueError('unknown "
              "token type: ' + token), so that the caller cannot go on with None.",
        "zh": "tokenize(sentences, token={token}) 打印了一条消息并返回了 None：未知的词元类型"
              "是一个错误。请抛出异常，例如 `raise ValueError('unknown token type: ' + token)`，"
              "调用者就不会拿着 None 继续往下执行。",
    },
    "tokenize.unknown_accepted": {
        "en": "tokenize(sentences, token={token}) returned {actual}: only 'word' and 'char' "
              "are token types; raise ValueError for any other.",
        "zh": "tokenize(sentences, token={token}) 返回了{actual}：词元类型只有 'word' 和 "
              "'char'；其他类型请抛出 `ValueError`。",
    },
    # -- count_corpus --------------------------------------------------------------------
    "count_corpus.sentences": {
        "en": "count_corpus counts the sentences, not the tokens: flatten the token lists "
              "first, tokens = [tk for st in sentences for tk in st], then return "
              "collections.Counter(tokens).",
        "zh": "count_corpus 统计的是句子而不是词元：先把各个词元列表展平，"
              "`tokens = [tk for st in sentences for tk in st]`，再返回 "
              "`collections.Counter(tokens)`。",
    },
    "count_corpus.once_per_sentence": {
        "en": "count_corpus counts each token once per sentence it occurs in: count every "
              "occurrence (a token twice in one sentence counts 2).",
        "zh": "count_corpus 对每个词元只按它出现过的句子数计数：应当统计每一次出现"
              "（同一句子中出现两次就计 2）。",
    },
    "count_corpus.missing": {
        "en": "count_corpus leaves out the token {token}, which occurs {expected} times.",
        "zh": "count_corpus 漏掉了词元 {token}，它出现了 {expected} 次。",
    },
    "count_corpus.wrong_count": {
        "en": "count_corpus counts the token {token} {actual} times; it occurs {expected} "
              "times over all sentences.",
        "zh": "count_corpus 把词元 {token} 计为 {actual} 次；它在所有句子中共出现 {expected} 次。",
    },
    "count_corpus.extra": {
        "en": "count_corpus counts {token}, which is no token of the corpus.",
        "zh": "count_corpus 统计了 {token}，但它不是语料库中的词元。",
    },
    "count_corpus.not_counter": {
        "en": "count_corpus returned {actual} with the right counts, not a collections.Counter: "
              "return collections.Counter(tokens) (a Counter answers 0 for a token it never "
              "saw, and has most_common()).",
        "zh": "count_corpus 返回的{actual}计数正确，但不是 `collections.Counter`：请返回 "
              "`collections.Counter(tokens)`（`Counter` 对没见过的词元给出 0，还有 "
              "`most_common()`）。",
    },
    # -- Vocab -----------------------------------------------------------------------------
    "vocab.flat_tokens": {
        "en": "Vocab counts the token lists themselves{where}: tokens is a list of token "
              "lists, one per sentence, and a list cannot be a key. Count it with "
              "count_corpus(tokens), which flattens it first.",
        "zh": "Vocab 统计的是词元列表本身{where}：tokens 是词元列表组成的列表，每个句子一个，"
              "而列表不能作为键。请用 count_corpus(tokens) 统计，它会先把列表展平。",
    },
    "vocab.size": {
        "en": "len(vocab) is {actual}, but the vocabulary holds {expected} tokens: {kept} of "
              "the corpus, each once, and {reserved} reserved.",
        "zh": "len(vocab) 是 {actual}，但词表应有 {expected} 个词元：语料库中的 {kept} 个"
              "（各一次），以及 {reserved} 个保留词元。",
    },
    "vocab.index_range": {
        "en": "vocab[{token}] is {actual}: a token of the corpus has an index from {first} "
              "to {last} (len(vocab) - 1).",
        "zh": "vocab[{token}] 是 {actual}：语料库中词元的下标应在 {first} 到 {last}"
              "（`len(vocab) - 1`）之间。",
    },
    "vocab.same_index": {
        "en": "vocab[{first}] and vocab[{second}] are both {index}: each token needs an index "
              "of its own, or to_tokens cannot invert it.",
        "zh": "vocab[{first}] 和 vocab[{second}] 都是 {index}：每个词元需要自己的下标，"
              "否则 to_tokens 无法把它还原。",
    },
    "vocab.unknown_keyerror": {
        "en": "vocab[{token}] raised KeyError for a token outside the vocabulary: return "
              "self.unk for it, with self.token_to_idx.get(tokens, self.unk).",
        "zh": "对词表外的词元，vocab[{token}] 抛出了 `KeyError`：应当返回 self.unk，"
              "即 `self.token_to_idx.get(tokens, self.unk)`。",
    },
    "vocab.unk_index": {
        "en": "vocab.to_tokens(0) is {actual}: index 0 belongs to '<unk>' (self.unk = 0), "
              "before the corpus's tokens.",
        "zh": "vocab.to_tokens(0) 是 {actual}：下标 0 属于 '<unk>'（`self.unk = 0`），"
              "排在语料库的词元之前。",
    },
    "vocab.brackets_lost": {
        "en": "The special tokens are empty strings: '<unk>' (and '<pad>', '<bos>', '<eos>') "
              "lost their text where the code was copied from a web page that read them as "
              "HTML tags. Write them out in full, angle brackets included.",
        "zh": "特殊词元是空字符串：'<unk>'（以及 '<pad>'、'<bos>'、'<eos>'）在从网页复制代码时"
              "被当成 `HTML` 标签吞掉了。请把它们完整写出来，包括尖括号。",
    },
    "vocab.unknown_index": {
        "en": "vocab[{token}], a token outside the vocabulary, is {actual}: every unknown "
              "token maps to the index of '<unk>', {expected}.",
        "zh": "词表外的词元 vocab[{token}] 是 {actual}：每个未知词元都应映射到 '<unk>' 的"
              "下标 {expected}。",
    },
    "vocab.special_indices": {
        "en": "With use_special_tokens=True, indices 0 to 3 hold {actual}: they are "
              "'<pad>', '<bos>', '<eos>', '<unk>', in this order (self.pad, self.bos, "
              "self.eos, self.unk = 0, 1, 2, 3).",
        "zh": "use_special_tokens=True 时，下标 0 到 3 是 {actual}：它们应依次是 "
              "'<pad>'、'<bos>'、'<eos>'、'<unk>'（`self.pad, self.bos, self.eos, self.unk = "
              "0, 1, 2, 3`）。",
    },
    "vocab.attribute": {
        "en": "vocab.{name} is {actual}: it is the index of its token, {expected} (unk = 0; "
              "with use_special_tokens=True, self.pad, self.bos, self.eos, self.unk = "
              "0, 1, 2, 3).",
        "zh": "vocab.{name} 是{actual}：它应是对应词元的下标 {expected}（`unk = 0`；"
              "use_special_tokens=True 时 `self.pad, self.bos, self.eos, self.unk = 0, 1, 2, 3`）。",
    },
    "vocab.min_freq_ignored": {
        "en": "Vocab(tokens, min_freq={min_freq}) keeps every token, also those rarer than "
              "min_freq: keep a token only if freq >= min_freq.",
        "zh": "Vocab(tokens, min_freq={min_freq}) 保留了所有词元，包括比 min_freq 更少见的："
              "只有 `freq >= min_freq` 的词元才保留。",
    },
    "vocab.min_freq_strict": {
        "en": "Vocab(tokens, min_freq={min_freq}) drops the tokens that occur exactly "
              "min_freq times: keep freq >= min_freq, not freq > min_freq.",
        "zh": "Vocab(tokens, min_freq={min_freq}) 丢掉了恰好出现 min_freq 次的词元：应保留 "
              "`freq >= min_freq`，而不是 `freq > min_freq`。",
    },
    "vocab.min_freq_dropped": {
        "en": "Vocab(tokens, min_freq={min_freq}) maps {token}, which occurs {freq} times, "
              "to '<unk>': it occurs at least min_freq times and belongs in the vocabulary.",
        "zh": "Vocab(tokens, min_freq={min_freq}) 把出现 {freq} 次的 {token} 映射成了 "
              "'<unk>'：它至少出现了 min_freq 次，应当在词表中。",
    },
    "vocab.min_freq_kept": {
        "en": "Vocab(tokens, min_freq={min_freq}) keeps {token}, which occurs only {freq} "
              "times: a token rarer than min_freq maps to '<unk>'.",
        "zh": "Vocab(tokens, min_freq={min_freq}) 保留了只出现 {freq} 次的 {token}："
              "比 min_freq 更少见的词元应映射到 '<unk>'。",
    },
    "vocab.getitem_list": {
        "en": "vocab[a {kind} of tokens] fails: a {kind} cannot be a dict key. Look up each "
              "token when given a list or tuple: if isinstance(tokens, (list, tuple)): "
              "return [self[token] for token in tokens].",
        "zh": "vocab[词元的{kind}] 出错了：{kind}不能作为字典的键。给定列表或元组时，"
              "请逐个查找词元：`if isinstance(tokens, (list, tuple)): return "
              "[self[token] for token in tokens]`。",
    },
    "vocab.getitem_sequence": {
        "en": "vocab[a {kind} of tokens] is {actual}: for a list or tuple, return the list "
              "of the indices of its tokens.",
        "zh": "vocab[词元的{kind}] 返回了{actual}：对列表或元组，应当返回其中各词元下标"
              "组成的列表。",
    },
    "vocab.getitem_values": {
        "en": "vocab[a {kind} of tokens] is {actual}; the indices of those tokens one by one "
              "are {expected}.",
        "zh": "vocab[词元的{kind}] 是 {actual}；逐个查这些词元得到的下标是 {expected}。",
    },
    "vocab.to_tokens_not_inverse": {
        "en": "vocab[{token}] is {index}, but vocab.to_tokens({index}) is {actual}: "
              "to_tokens must give back the token of an index, self.idx_to_token[index].",
        "zh": "vocab[{token}] 是 {index}，但 vocab.to_tokens({index}) 是 {actual}："
              "to_tokens 应当还原下标对应的词元，即 `self.idx_to_token[index]`。",
    },
    "vocab.to_tokens_list": {
        "en": "vocab.to_tokens(a {kind} of indices) fails: a {kind} cannot index a list. "
              "Look up each index: return [self.idx_to_token[index] for index in indices].",
        "zh": "vocab.to_tokens(下标的{kind}) 出错了：{kind}不能用来索引列表。"
              "请逐个查找下标：`return [self.idx_to_token[index] for index in indices]`。",
    },
    "vocab.to_tokens_sequence": {
        "en": "vocab.to_tokens(a {kind} of indices) is {actual}; expected the list of their "
              "tokens, {expected}.",
        "zh": "vocab.to_tokens(下标的{kind}) 是 {actual}；应为这些下标对应词元的列表 "
              "{expected}。",
    },
    # -- the tests' names --------------------------------------------------------------
    "test.text_preprocessing.test_tokenize_words": {
        "en": "tokenize(sentences, 'word') splits each sentence at its spaces",
        "zh": "tokenize(sentences, 'word') 按空格切分每个句子"},
    "test.text_preprocessing.test_tokenize_chars": {
        "en": "tokenize(sentences, 'char') splits each sentence into its characters, "
              "spaces included",
        "zh": "tokenize(sentences, 'char') 把每个句子切成字符，包括空格"},
    "test.text_preprocessing.test_tokenize_unknown_type": {
        "en": "tokenize raises an error for a token type other than 'word' and 'char'",
        "zh": "对 'word' 和 'char' 以外的词元类型，tokenize 抛出错误"},
    "test.text_preprocessing.test_count_corpus_counts_tokens": {
        "en": "count_corpus counts every token over all sentences",
        "zh": "count_corpus 统计所有句子中每个词元的出现次数"},
    "test.text_preprocessing.test_count_corpus_returns_counter": {
        "en": "count_corpus returns a collections.Counter of the right counts",
        "zh": "count_corpus 返回计数正确的 `collections.Counter`"},
    "test.text_preprocessing.test_vocab_bijection": {
        "en": "Vocab gives each token of the corpus its own index, after '<unk>'",
        "zh": "Vocab 给语料库中每个词元一个自己的下标，排在 '<unk>' 之后"},
    "test.text_preprocessing.test_vocab_unknown_token": {
        "en": "Vocab puts '<unk>' at index 0 and maps every unknown token to it",
        "zh": "Vocab 把 '<unk>' 放在下标 0，并把每个未知词元映射到它"},
    "test.text_preprocessing.test_vocab_special_tokens": {
        "en": "Vocab(use_special_tokens=True) puts '<pad>', '<bos>', '<eos>', '<unk>' at 0 to 3",
        "zh": "Vocab(use_special_tokens=True) 把 '<pad>'、'<bos>'、'<eos>'、'<unk>' "
              "放在下标 0 到 3"},
    "test.text_preprocessing.test_vocab_min_freq": {
        "en": "Vocab keeps exactly the tokens that occur at least min_freq times",
        "zh": "Vocab 恰好保留至少出现 min_freq 次的词元"},
    "test.text_preprocessing.test_vocab_getitem_sequences": {
        "en": "vocab[list] and vocab[tuple] give the list of the tokens' indices",
        "zh": "vocab[list] 和 vocab[tuple] 给出各词元下标组成的列表"},
    "test.text_preprocessing.test_vocab_to_tokens": {
        "en": "vocab.to_tokens inverts vocab[...], for an index and for a list or tuple of them",
        "zh": "vocab.to_tokens 是 vocab[...] 的逆映射，对单个下标和下标的列表或元组都是如此"},
    # -- the notebook ------------------------------------------------------------------
    "course.text_preprocessing.notes": {
        "en": "A text becomes numbers in three steps: split it into tokens, count them, and "
              "give each\nkept token an index. The vocabulary is a bijection\n{bijection}: "
              "`vocab[token]` and `vocab.to_tokens(index)` undo each\nother. Rare tokens "
              "(fewer than `min_freq` occurrences) are not kept: they, and every\ntoken never "
              "seen, map to `'<unk>'`.",
        "zh": "文本变成数字要经过三步：切分成词元、统计词元、给每个保留下来的词元一个下标。"
              "词表是一个双射\n{bijection}：`vocab[token]` 和 `vocab.to_tokens(index)` "
              "互为逆运算。少见的词元（出现次数少于 `min_freq`）不保留：它们以及所有没见过的"
              "词元都映射到 `'<unk>'`。",
    },
    "course.text_preprocessing.intro": _doc("the module", """\
文本预处理：词元与词表。

《动手学深度学习》“循环神经网络”一章的“文本预处理”一节（学习小组 Task02 的笔记本，\
你在这里写的正是其中的版本）。语言模型读入文本之前，要先把文本切分成词元（单词或字符），\
统计词元，再用词表把每个词元映射到一个整数下标，并能映射回来。"""),
    "course.text_preprocessing.tokenize.doc": _doc("tokenize", """\
把每个句子切分成单词词元或字符词元。

模型处理的是词元序列，而不是原始字符串：'word' 按空格切分句子，'char' 把句子切成单个字符。

参数：
    sentences: 由 str 组成的列表，例如已转成小写、单词之间用单个空格隔开的文本行。
    token: 'word' 或 'char'。

返回：
    与 sentences 等长的列表；第 i 项是 sentences[i] 的词元列表：'word' 时为 \
sentence.split(' ')（split() 也可以：两者在单个空格上结果相同），'char' 时为 \
list(sentence)（空格也是字符）。不修改 sentences。

异常：
    ValueError: 其他任何词元类型。未知类型是一个错误：请抛出异常（参数值不对时通常用 \
ValueError；任何异常都可以），不要打印一条消息后返回 None。"""),
    "course.text_preprocessing.count_corpus.doc": _doc("count_corpus", """\
统计已切分的语料库中每个词元出现的次数。

词表保留常见词元、丢弃少见词元，所以需要知道每个词元的频率。

参数：
    sentences: 词元列表组成的列表，即 tokenize 的返回值。

返回：
    一个 collections.Counter，把每个词元（而不是每个句子）映射到它在所有句子中出现的\
次数。不修改 sentences。"""),
    "course.text_preprocessing.Vocab.doc": _doc("Vocab", """\
词表：词元与下标 0 到 len(vocab) - 1 之间的双射。

下标 0 是未知词元 '<unk>'（self.unk = 0），词表外的每个词元都映射到它。\
use_special_tokens=True 时，前四个下标依次是 '<pad>' (0)、'<bos>' (1)、'<eos>' (2) 和 \
'<unk>' (3)，即 self.pad、self.bos、self.eos 和 self.unk。随后是语料库中的词元，每个一次，\
顺序不限（课程保持计数器中的顺序；本书后来的版本按频率排序，也可以）。

参数：
    tokens: 已切分的语料库，即词元列表组成的列表（用 count_corpus 统计它）。
    min_freq: 只保留至少出现 min_freq 次的词元（freq >= min_freq）；更少见的词元映射到 \
'<unk>'。
    use_special_tokens: 保留上述四个特殊词元。

属性：
    idx_to_token: 按下标排列的词元列表。
    token_to_idx: 从词元到下标的字典。
    unk: '<unk>' 的下标。"""),
    "course.text_preprocessing.Vocab.__init__.doc": _doc("Vocab.__init__", """\
统计词元，建立 idx_to_token 和 token_to_idx。"""),
    "course.text_preprocessing.Vocab.__len__.doc": _doc("Vocab.__len__", """\
词表中词元的个数，包括特殊词元。"""),
    "course.text_preprocessing.Vocab.__getitem__.doc": _doc("Vocab.__getitem__", """\
一个词元的下标，或者由词元组成的列表或元组对应的下标列表。

词表外的词元给出 self.unk（用带默认值的 dict.get：抛出 KeyError 不是答案）。"""),
    "course.text_preprocessing.Vocab.to_tokens.doc": _doc("Vocab.to_tokens", """\
一个下标对应的词元，或者由下标组成的列表或元组对应的词元列表：__getitem__ 的逆运算\
（对词表中的每个词元 t，vocab.to_tokens(vocab[t]) == t）。"""),
}

KNOWN_ERRORS = [
    # Counter(sentences): a sentence is a list, which cannot be a key.
    ("count_corpus", "unhashable type", "count_corpus.sentences"),
    # Counter(tokens) in Vocab, as in versions of the book whose Vocab takes a flat list.
    ("Vocab", "unhashable type", "vocab.flat_tokens"),
]

FORMULAS = {
    "bijection": r"$\{\text{tokens}\} \leftrightarrow \{0, 1, \ldots, |V| - 1\}$",
}

FUNCTION_FORMULAS: dict[str, str] = {}

# The course notebook's Vocab, in which each mistake below changes one thing.
_VOCAB = '''
class Vocab(object):
    def __init__(self, tokens, min_freq=0, use_special_tokens=False):
        counter = count_corpus(tokens)
        self.token_freqs = list(counter.items())
        self.idx_to_token = []
        if use_special_tokens:
            self.pad, self.bos, self.eos, self.unk = (0, 1, 2, 3)
            self.idx_to_token += ['<pad>', '<bos>', '<eos>', '<unk>']
        else:
            self.unk = 0
            self.idx_to_token += ['<unk>']
        self.idx_to_token += [token for token, freq in self.token_freqs
                              if freq >= min_freq and token not in self.idx_to_token]
        self.token_to_idx = dict()
        for idx, token in enumerate(self.idx_to_token):
            self.token_to_idx[token] = idx

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]

    def to_tokens(self, indices):
        if not isinstance(indices, (list, tuple)):
            return self.idx_to_token[indices]
        return [self.idx_to_token[index] for index in indices]
'''


def _vocab(old: str, new: str) -> str:
    assert old in _VOCAB, old
    return _VOCAB.replace(old, new)


MISTAKES = [
    Mistake(name="tokenize-chars-for-words", function="tokenize",
            key="tokenize.chars_for_words", code='''
def tokenize(sentences, token='word'):
    if token == 'word':
        return [list(sentence) for sentence in sentences]
    elif token == 'char':
        return [list(sentence) for sentence in sentences]
    raise ValueError('unknown token type ' + token)
'''),
    Mistake(name="tokenize-print", function="tokenize", key="tokenize.printed", code='''
def tokenize(sentences, token='word'):
    if token == 'word':
        return [sentence.split(' ') for sentence in sentences]
    elif token == 'char':
        return [list(sentence) for sentence in sentences]
    else:
        print('ERROR: unkown token type ' + token)
'''),
    Mistake(name="count-corpus-sentences", function="count_corpus",
            key="count_corpus.sentences", code='''
def count_corpus(sentences):
    return collections.Counter(sentences)
'''),
    Mistake(name="count-corpus-once-per-sentence", function="count_corpus",
            key="count_corpus.once_per_sentence", code='''
def count_corpus(sentences):
    return collections.Counter(tk for st in sentences for tk in set(st))
'''),
    Mistake(name="vocab-min-freq-ignored", function="Vocab", key="vocab.min_freq_ignored",
            code=_vocab("if freq >= min_freq and token", "if token")),
    Mistake(name="vocab-min-freq-strict", function="Vocab", key="vocab.min_freq_strict",
            code=_vocab("freq >= min_freq", "freq > min_freq")),
    Mistake(name="vocab-unk-last", function="Vocab", key="vocab.unk_index",
            code=_vocab("            self.idx_to_token += ['<unk>']\n", "").replace(
                "        self.token_to_idx = dict()",
                "        if not use_special_tokens:\n"
                "            self.unk = len(self.idx_to_token)\n"
                "            self.idx_to_token += ['<unk>']\n"
                "        self.token_to_idx = dict()")),
    Mistake(name="vocab-getitem-list", function="Vocab", key="vocab.getitem_list",
            code=_vocab("""        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]""",
                        """        return self.token_to_idx.get(tokens, self.unk)""")),
    Mistake(name="vocab-getitem-keyerror", function="Vocab", key="vocab.unknown_keyerror",
            code=_vocab("self.token_to_idx.get(tokens, self.unk)",
                        "self.token_to_idx[tokens]")),
    Mistake(name="vocab-to-tokens-from-counts", function="Vocab",
            key="vocab.to_tokens_not_inverse",
            code=_vocab("""            return self.idx_to_token[indices]
        return [self.idx_to_token[index] for index in indices]""",
                        """            return self.token_freqs[indices][0]
        return [self.token_freqs[index][0] for index in indices]""")),
    Mistake(name="vocab-counts-lists", function="Vocab", key="vocab.flat_tokens",
            code=_vocab("counter = count_corpus(tokens)", "counter = collections.Counter(tokens)")),
    Mistake(name="vocab-copied-from-a-web-page", function="Vocab", key="vocab.brackets_lost",
            code=_vocab("['<pad>', '<bos>', '<eos>', '<unk>']", "['', '', '', '']").replace(
                "['<unk>']", "['']")),
    Mistake(name="vocab-special-order", function="Vocab", key="vocab.special_indices",
            code=_vocab("['<pad>', '<bos>', '<eos>', '<unk>']",
                        "['<unk>', '<pad>', '<bos>', '<eos>']")),
]
