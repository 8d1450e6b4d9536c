"""A recurrent neural network from scratch: one-hot inputs, the RNN, clipping, prediction.

D2L, chapter "Recurrent Neural Networks", section "Recurrent Neural Network
Implementation from Scratch" (section 9.5 in the 1.0 edition; 6.4 in the
study group's Chinese edition, whose d2lzh_pytorch signatures you implement
here). A character-level language model reads one token per time step: each
token becomes a one-hot vector, the hidden state H carries what was read so
far from one step to the next, and an output layer turns H into scores over
the vocabulary. Gradients through many time steps can explode, so they are
clipped before each update; a trained model writes text by feeding its own
best guess back in, one character at a time.

The parameters come in the book's order, params = [W_xh, W_hh, b_h, W_hq,
b_q], of shapes (vocab_size, num_hiddens), (num_hiddens, num_hiddens),
(num_hiddens,), (num_hiddens, vocab_size) and (vocab_size,). The course's
corpus (Jay Chou's lyrics) is not needed here: the checks use a small
vocabulary of letters and parameters drawn at random.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch


def one_hot(x: torch.Tensor, n_class: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """The one-hot rows of a vector of token indices.

    Row i is all zeros except a 1 in column x[i]. A token index is only a
    name: one-hot vectors put every token at the same distance from every
    other, so the network learns what each token means instead of reading
    meaning into the size of its index.

    Args:
        x: 1-D tensor of token indices in [0, n_class), int64, or float32 as
            the book's samplers (d2lzh_pytorch) make them; any device.
        n_class: the number of classes (the vocabulary size).
        dtype: the dtype of the result (default float32).

    Returns:
        Tensor of shape (len(x), n_class) and dtype `dtype`, on x's device.
        x is not modified.
    """
    x = x.long()
    res = torch.zeros(x.shape[0], n_class, dtype=dtype, device=x.device)
    res.scatter_(1, x.view(-1, 1), 1)
    return res


def to_onehot(X: torch.Tensor, n_class: int) -> list[torch.Tensor]:
    """A minibatch of token indices as one one-hot matrix per time step.

    The RNN reads time step t of every sequence of the minibatch at once,
    so the inputs are cut by time step (column), not by sequence (row).

    Args:
        X: tensor of token indices of shape (batch_size, num_steps), int64
            or float32, any device.
        n_class: the number of classes (the vocabulary size).

    Returns:
        A list of num_steps float32 tensors of shape (batch_size, n_class),
        on X's device: element t is one_hot(X[:, t], n_class).
    """
    return [one_hot(X[:, i], n_class) for i in range(X.shape[1])]


def init_rnn_state(batch_size: int, num_hiddens: int,
                   device: torch.device | str) -> tuple[torch.Tensor, ...]:
    """The RNN's hidden state before the first time step: zeros.

    The state is a tuple so that the same training code serves models whose
    state has several parts (the LSTM's (H, C)); the plain RNN's has one.

    Args:
        batch_size: the number of sequences read in parallel.
        num_hiddens: the number of hidden units.
        device: where the state lives (that of the parameters).

    Returns:
        The tuple (H,), where H is a float32 tensor of zeros of shape
        (batch_size, num_hiddens) on `device`.
    """
    return (torch.zeros((batch_size, num_hiddens), device=device),)


def rnn(inputs: Sequence[torch.Tensor], state: tuple[torch.Tensor, ...],
        params: Sequence[torch.Tensor]) -> tuple[list[torch.Tensor], tuple[torch.Tensor, ...]]:
    """Run the RNN over the time steps of a minibatch.

    At each step t, the new hidden state is computed from the input and the
    state of the step before, and the output from the new state:
    H = tanh(X_t @ W_xh + H @ W_hh + b_h), then Y_t = H @ W_hq + b_q. The
    same parameters serve every time step, and H carries what was read so
    far from one step to the next.

    Args:
        inputs: a list of num_steps tensors of shape (batch_size, vocab_size)
            (what to_onehot returns).
        state: the tuple (H,) with H of shape (batch_size, num_hiddens).
        params: [W_xh, W_hh, b_h, W_hq, b_q] (see the module's docstring).

    Returns:
        (outputs, (H,)): outputs is a list of num_steps tensors of shape
        (batch_size, vocab_size), one per time step; H is the hidden state
        after the last step, in a tuple as the state came. Autograd must flow
        from them to the parameters and to the state given. Nothing is
        modified in place.
    """
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)


def grad_clipping(params: Sequence[torch.Tensor], theta: float,
                  device: torch.device | str) -> None:
    """Clip the gradients of all parameters together to a norm of at most theta.

    The norm is the global one, over all gradients at once:
    norm = sqrt(sum over params of (param.grad ** 2).sum()). Where
    norm > theta, every gradient is multiplied by theta / norm, which keeps
    the direction of the whole update and shortens it to length theta;
    otherwise the gradients are left as they are. Clipping each parameter by
    its own norm would change the direction.

    Args:
        params: tensors whose .grad has been filled in by backward().
        theta: the largest norm allowed (a positive float).
        device: where the parameters live.

    Returns:
        None. Each param.grad is scaled in place (param.grad.data *= ..., as
        the book does; assigning param.grad a scaled tensor is accepted too).
        The parameters themselves are not changed.
    """
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.sqrt().item()
    if norm > theta:
        for param in params:
            param.grad.data *= (theta / norm)


def predict_rnn(prefix: str, num_chars: int, rnn: Callable, params: Sequence[torch.Tensor],
                init_rnn_state: Callable, num_hiddens: int, vocab_size: int,
                device: torch.device | str, idx_to_char: Sequence[str],
                char_to_idx: dict[str, int]) -> str:
    """Write num_chars characters after prefix, feeding each guess back in.

    Start from init_rnn_state(1, num_hiddens, device) and read the prefix one
    character per call of rnn, carrying the state from call to call; while
    the prefix lasts, the next input is its next character (a warm-up: the
    predictions are ignored). After the prefix, the next input is the
    model's best guess, the argmax of the last output. Each input is
    to_onehot of a (1, 1) tensor of the character's index on `device`.

    Args:
        prefix: the text to start from (at least one character, all in the
            vocabulary).
        num_chars: how many characters to write after the prefix.
        rnn: a function like rnn above, called as rnn(inputs, state, params).
        params: the model's parameters, passed on to rnn.
        init_rnn_state: a function like init_rnn_state above.
        num_hiddens: the number of hidden units.
        vocab_size: the size of the vocabulary.
        device: where params live (and where the inputs go).
        idx_to_char: the vocabulary, index -> character.
        char_to_idx: the vocabulary, character -> index.

    Returns:
        A str: prefix followed by the num_chars characters written,
        len(prefix) + num_chars characters in all. Reading the prefix as one
        sequence in a single call of rnn is accepted too.
    """
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        # The input of this step: the last character written (or read).
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        (Y, state) = rnn(X, state, params)
        # While the prefix lasts, the next character is the prefix's; then the best guess.
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return "".join([idx_to_char[i] for i in output])
