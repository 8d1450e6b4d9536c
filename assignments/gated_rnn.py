"""Gated recurrent networks from scratch: the GRU and the LSTM.

D2L, chapter "Modern Recurrent Neural Networks", sections "Gated Recurrent
Units (GRU)" and "Long Short-Term Memory (LSTM)" (sections 6.7 and 6.8 in the
study group's Chinese edition; 10.2 and 10.1 in the 1.0 edition). A plain RNN
multiplies its gradient by the same matrix at every time step, so over long
sequences it vanishes or explodes. Gates, values in (0, 1) computed from the
input and the previous hidden state, decide at each step how much of the old
state to keep and how much new information to let in; this keeps information
(and gradients) alive over many steps.

Both models run over a minibatch of sequences the way the book's training
loop (d2lzh_pytorch.train_and_predict_rnn) calls them: `inputs` is a list of
num_steps tensors of shape (batch_size, vocab_size), one per time step (the
one-hot rows of to_onehot), and the model returns one output of shape
(batch_size, vocab_size) per time step with the state after the last step.
"""

from __future__ import annotations

import torch


def init_gru_state(batch_size: int, num_hiddens: int,
                   device: torch.device | str) -> tuple[torch.Tensor]:
    """The GRU's initial state: a tuple holding one hidden state H of zeros.

    The state is a tuple, even with one tensor in it, so that the training
    loop treats the GRU, the LSTM (whose state is (H, C)) and the RNN alike.

    Args:
        batch_size: the number of sequences in a minibatch.
        num_hiddens: the number of hidden units.
        device: where the state goes (a torch.device or a string).

    Returns:
        (H,), with H a float32 tensor of zeros of shape
        (batch_size, num_hiddens) on device.
    """
    raise NotImplementedError("implement init_gru_state")


def gru(inputs: list[torch.Tensor], state: tuple[torch.Tensor],
        params: list[torch.Tensor]) -> tuple[list[torch.Tensor], tuple[torch.Tensor]]:
    """Run a GRU over num_steps time steps.

    At each time step t, with X the step's input and H the hidden state
    before it:

        Z = sigmoid(X @ W_xz + H @ W_hz + b_z)          the update gate
        R = sigmoid(X @ W_xr + H @ W_hr + b_r)          the reset gate
        H_tilda = tanh(X @ W_xh + (R * H) @ W_hh + b_h)  the candidate state
        H = Z * H + (1 - Z) * H_tilda
        Y = H @ W_hq + b_q

    Z close to 1 keeps the old state (and its gradient) unchanged; R close
    to 0 lets the candidate forget it. The candidate written
    tanh(X @ W_xh + R * (H @ W_hh) + b_h), which resets after the product
    (the course notebook's form, and PyTorch's own nn.GRU), is accepted too.
    The gates and the candidate of step t use the H of step t - 1, and each
    step's new H is carried to the next step.

    Args:
        inputs: a list of num_steps float32 tensors of shape
            (batch_size, vocab_size), all on one device.
        state: (H,), H of shape (batch_size, num_hiddens), as init_gru_state
            makes it (or the state a previous call returned).
        params: in the book's order, [W_xz, W_hz, b_z, W_xr, W_hr, b_r,
            W_xh, W_hh, b_h, W_hq, b_q]: each W_x* of shape
            (vocab_size, num_hiddens), each W_h* of shape
            (num_hiddens, num_hiddens), each b_* of shape (num_hiddens,),
            W_hq of shape (num_hiddens, vocab_size), b_q of shape
            (vocab_size,).

    Returns:
        (outputs, (H,)): outputs a list of num_steps tensors Y of shape
        (batch_size, vocab_size), H the hidden state after the last step;
        all on the inputs' device, connected to params' autograd graph.
        The inputs, state and params are not modified.
    """
    raise NotImplementedError("implement gru")


def init_lstm_state(batch_size: int, num_hiddens: int,
                    device: torch.device | str) -> tuple[torch.Tensor, torch.Tensor]:
    """The LSTM's initial state: the hidden state H and the memory cell C, zeros.

    Args:
        batch_size: the number of sequences in a minibatch.
        num_hiddens: the number of hidden units.
        device: where the state goes (a torch.device or a string).

    Returns:
        (H, C), two float32 tensors of zeros of shape
        (batch_size, num_hiddens) on device.
    """
    raise NotImplementedError("implement init_lstm_state")


def lstm(inputs: list[torch.Tensor], state: tuple[torch.Tensor, torch.Tensor],
         params: list[torch.Tensor]) -> tuple[list[torch.Tensor],
                                              tuple[torch.Tensor, torch.Tensor]]:
    """Run an LSTM over num_steps time steps.

    At each time step, with X the step's input and (H, C) the state before
    it:

        I = sigmoid(X @ W_xi + H @ W_hi + b_i)          the input gate
        F = sigmoid(X @ W_xf + H @ W_hf + b_f)          the forget gate
        O = sigmoid(X @ W_xo + H @ W_ho + b_o)          the output gate
        C_tilda = tanh(X @ W_xc + H @ W_hc + b_c)       the candidate cell
        C = F * C + I * C_tilda
        H = O * tanh(C)
        Y = H @ W_hq + b_q

    The memory cell C carries information from step to step, added to rather
    than multiplied by a matrix; tanh(C) keeps H in (-1, 1). The gates and
    the candidate of each step use the H of the step before, and both H and
    C are carried to the next step.

    Args:
        inputs: a list of num_steps float32 tensors of shape
            (batch_size, vocab_size), all on one device.
        state: (H, C), each of shape (batch_size, num_hiddens), as
            init_lstm_state makes them.
        params: in the book's order, [W_xi, W_hi, b_i, W_xf, W_hf, b_f,
            W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q], with the shapes of
            gru's.

    Returns:
        (outputs, (H, C)): outputs a list of num_steps tensors Y of shape
        (batch_size, vocab_size); H and C after the last step. All on the
        inputs' device, connected to params' autograd graph. The inputs,
        state and params are not modified.
    """
    raise NotImplementedError("implement lstm")
