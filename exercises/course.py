"""The course: the study group's check-ins, each a list of exercise modules, in order.

A pack's own exercises/course.py adds assignments, or modules to these (see README,
"Writing an exercise"). A module in no assignment is graded after these, in name order.
"""

ASSIGNMENTS = {
    # Task01: linear regression, softmax and classification, the multilayer perceptron.
    "Task01": ["linear_regression", "softmax_regression", "activations", "concise"],
    # Task02: text preprocessing, the language model and its samplers, RNN basics.
    "Task02": ["text_preprocessing", "language_model", "rnn_scratch"],
    # Task03: overfitting and its remedies, numerical stability with the Kaggle house
    # prices, GRU and LSTM.
    "Task03": ["overfitting", "house_prices", "gated_rnn"],
    # Task04: machine translation, attention and seq2seq, the Transformer.
    "Task04": ["attention"],
    # Task05: convolution basics, LeNet, modern CNNs.
    "Task05": ["cnn"],
    # Task06: batch normalisation and ResNet, convex optimisation, gradient descent.
    "Task06": ["batch_normalization"],
    # Task07: the optimisers, word2vec.
    "Task07": ["optimizers"],
}
