"""Every sentence the grader writes, in English and Simplified Chinese.

A check raises Diagnosis(key, **params); the report renders it in the reader's language.
Keep each message in the student's terms: what is wrong, and what to do about it.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "zh")

CATALOGUE: dict[str, dict[str, str]] = {
    # -- how a call went -------------------------------------------------------------
    "not_implemented": {
        "en": "{function} is not implemented yet (it raises NotImplementedError).",
        "zh": "{function} 还没有实现（它抛出了 NotImplementedError）。",
    },
    "raised": {
        "en": "{function} raised {error_type}: {error}{where}",
        "zh": "{function} 抛出了 {error_type}：{error}{where}",
    },
    "where": {
        "en": " ({file}, line {line}: `{code}`)",
        "zh": "（{file} 第 {line} 行：`{code}`）",
    },
    "missing_module": {
        "en": "{file} is missing from the submission.",
        "zh": "提交中缺少 {file}。",
    },
    "missing_function": {
        "en": "{file} does not define {function}.",
        "zh": "{file} 没有定义 {function}。",
    },
    "import_failed": {
        "en": "{file} could not be imported: {error_type}: {error}{where}",
        "zh": "无法导入 {file}：{error_type}：{error}{where}",
    },
    "import_exit": {
        "en": "{file} could not be imported: the worker {ending} while importing it.",
        "zh": "无法导入 {file}：导入时学生进程{ending}。",
    },
    "import_timeout": {
        "en": "{file} could not be imported: importing it timed out after {seconds:g} s of "
              "CPU time (an infinite loop or a long computation at module level?).",
        "zh": "无法导入 {file}：导入用掉的 CPU 时间超过 {seconds:g} 秒（模块顶层有死循环或耗时计算？）。",
    },
    "timeout": {
        "en": "{function} timed out after {seconds:g} s of CPU time (an infinite loop?).",
        "zh": "{function} 用掉的 CPU 时间超过 {seconds:g} 秒，已超时（是否有死循环？）。",
    },
    "crashed": {
        "en": "{function} stopped the worker: it {ending}.",
        "zh": "{function} 使学生进程终止：{ending}。",
    },
    "ending_code": {"en": "exited with code {code}", "zh": "以退出码 {code} 退出"},
    "ending_signal": {"en": "was killed by {signal}", "zh": "被信号 {signal} 杀死"},
    "garbled": {
        "en": "{function} returned something the grader could not read: {reason}.",
        "zh": "{function} 返回了评分器无法读取的内容：{reason}。",
    },
    "garbled_answer": {
        "en": "The worker's answer for {function} could not be read: it is not in the shape "
              "the grader's own worker code sends (was that code replaced?).",
        "zh": "工作进程关于 {function} 的回答无法读取：它不是评分器自己的工作进程代码发送的格式"
              "（这段代码是否被替换了？）。",
    },
    "system_exit": {
        "en": "{function} called sys.exit() / exit(){where}: return a value instead.",
        "zh": "{function} 调用了 sys.exit() / exit(){where}：请改为返回结果。",
    },
    "mixed_devices": {
        "en": "{function} mixes devices{where}: a tensor it creates lives on the CPU while "
              "its inputs are elsewhere. Create new tensors on the inputs' device, e.g. "
              "torch.zeros(..., device=X.device).",
        "zh": "{function} 混用了设备{where}：它新建的张量在 CPU 上，而输入在其他设备上。"
              "请在输入所在的设备上新建张量，例如 torch.zeros(..., device=X.device)。",
    },
    "out_of_memory": {
        "en": "{function} ran out of memory{where}: it allocates far more than the inputs need.",
        "zh": "{function} 内存不足{where}：它分配的内存远超输入所需。",
    },
    # -- what came back --------------------------------------------------------------
    "wrong_type": {
        "en": "{what} should be {expected}, but {function} returned {actual}.",
        "zh": "{what}应当是 {expected}，但 {function} 返回了 {actual}。",
    },
    "tensor_subclass": {
        "en": "{what} should be a plain torch.Tensor, but {function} returned a {actual} "
              "(a subclass of torch.Tensor).",
        "zh": "{what}应当是普通的 torch.Tensor，但 {function} 返回了 {actual}（torch.Tensor 的子类）。",
    },
    "wrong_shape": {
        "en": "{what} has shape {actual}, expected {expected}.",
        "zh": "{what}的形状是 {actual}，应为 {expected}。",
    },
    "wrong_dtype": {
        "en": "{what} has dtype {actual}, expected {expected}.",
        "zh": "{what}的数据类型是 {actual}，应为 {expected}。",
    },
    "wrong_device": {
        "en": "{what} is on device {actual}, but the inputs were on {expected}: create new "
              "tensors on the inputs' device (e.g. torch.zeros(..., device=X.device)).",
        "zh": "{what}在设备 {actual} 上，但输入在 {expected} 上：新建张量时请放到输入所在的设备"
              "（例如 torch.zeros(..., device=X.device)）。",
    },
    "wrong_values": {
        "en": "{what} has wrong values: {mismatched} of {total} elements differ "
              "(largest difference {max_abs:.3g} at index {index}: got {actual:.6g}, "
              "expected {expected:.6g}).",
        "zh": "{what}的数值错误：{total} 个元素中有 {mismatched} 个不对"
              "（最大差值 {max_abs:.3g}，位于下标 {index}：得到 {actual:.6g}，应为 {expected:.6g}）。",
    },
    "not_finite": {
        "en": "{what} contains nan or inf where the correct result is finite.",
        "zh": "{what}中出现了 nan 或 inf，而正确结果是有限值。",
    },
    "modified_input": {
        "en": "{function} modified its input {argument} in place: compute a new tensor instead.",
        "zh": "{function} 原地修改了输入 {argument}：请计算并返回新的张量。",
    },
    "should_return_none": {
        "en": "{function} should return None (it works in place), but it returned {actual}.",
        "zh": "{function} 应当返回 None（它原地修改参数），但返回了 {actual}。",
    },
    # -- robustness: interruption, time limits, staging ---------------------------------
    "robustness.interrupted": {
        "en": "interrupted; no report was written.",
        "zh": "评分已中断，未生成报告。",
    },
    "robustness.wall_timeout": {
        "en": "{function} timed out after {seconds:g} s of wall-clock time while using "
              "little CPU: it waited (time.sleep, input(), a lock?).",
        "zh": "{function} 运行超过 {seconds:g} 秒（按实际经过的时间计），却几乎没有占用 CPU："
              "它在等待（time.sleep、input() 或锁？）。",
    },
    "robustness.import_wall_timeout": {
        "en": "{file} could not be imported: importing it timed out after {seconds:g} s of "
              "wall-clock time while using little CPU: it waited (time.sleep, input(), "
              "a lock?).",
        "zh": "无法导入 {file}：导入超过 {seconds:g} 秒（按实际经过的时间计），却几乎没有占用 "
              "CPU：它在等待（time.sleep、input() 或锁？）。",
    },
    "robustness.too_large": {
        "en": "{file} is {size}; the limit is {limit}. It was not graded.",
        "zh": "{file} 大小为 {size}，超过了 {limit} 的上限，未予评分。",
    },
    "robustness.skipped_total": {
        "en": "{file} was skipped: a submission may hold at most {files} files and {limit} "
              "in all.",
        "zh": "已跳过 {file}：一份提交最多只能包含 {files} 个文件，总大小不超过 {limit}。",
    },
    "robustness.too_deep": {
        "en": "{folder} was not entered: folders more than {depth} levels down are not "
              "graded.",
        "zh": "没有进入 {folder}：超过 {depth} 层的文件夹不参与评分。",
    },
    "robustness.more_skipped": {
        "en": "... and {count} more files were skipped.",
        "zh": "……另有 {count} 个文件被跳过。",
    },
    "robustness.special_file": {
        "en": "{file} is not a regular file (a FIFO, a socket or a device) and was skipped.",
        "zh": "{file} 不是普通文件（而是命名管道、套接字或设备文件），已跳过。",
    },
    "robustness.symlink_outside": {
        "en": "{file} is a symbolic link to {target}, outside the submission, and was "
              "refused.",
        "zh": "{file} 是指向提交目录之外（{target}）的符号链接，已拒绝。",
    },
    "robustness.unreadable": {
        "en": "{file} could not be read and was skipped.",
        "zh": "无法读取 {file}，已跳过。",
    },
    "robustness.not_a_notebook": {
        "en": "{file} is not a notebook: {reason}. It was not graded.",
        "zh": "{file} 不是笔记本文件：{reason}，未予评分。",
    },
    "robustness.too_many_cells": {
        "en": "{file} has {count} code cells; a submission may have at most {limit} in all. "
              "It was not graded.",
        "zh": "{file} 有 {count} 个代码单元格，而一份提交总共最多只能有 {limit} 个，未予评分。",
    },
    "robustness.notebook_too_large": {
        "en": "{file} holds {size} of code; a submission may hold at most {limit} in all and "
              "{file_limit} in one cell. It was not graded.",
        "zh": "{file} 含有 {size} 的代码，而一份提交总共最多 {limit}，每个单元格最多 "
              "{file_limit}，未予评分。",
    },
    # Why a notebook is not one: the {reason} of robustness.not_a_notebook.
    "notebook.not_utf8": {
        "en": "it is not UTF-8 text (byte {offset})",
        "zh": "它不是 UTF-8 编码的文本（第 {offset} 个字节处）",
    },
    "notebook.not_json": {
        "en": "it is not valid JSON (line {line}, column {column})",
        "zh": "它的格式有误，无法解析（第 {line} 行第 {column} 列）",
    },
    "notebook.too_deep": {
        "en": "its JSON is nested too deeply to be read",
        "zh": "它的嵌套层数过多，无法解析",
    },
    "notebook.number_too_long": {
        "en": "it holds a number too long to be read",
        "zh": "其中有一个长得无法读取的数字",
    },
    "notebook.not_an_object": {
        "en": "{field} is not a JSON object",
        "zh": "{field} 不是键值对象",
    },
    "notebook.not_a_list": {
        "en": "{field} is not a list",
        "zh": "{field} 不是列表",
    },
    "notebook.not_text": {
        "en": "{field} is neither text nor a list of lines of text",
        "zh": "{field} 既不是文本，也不是由文本行组成的列表",
    },
    "robustness.not_graded": {
        "en": "not graded: the submission used up its time (see --deadline).",
        "zh": "未评分：本次提交已用完全部评分时间（见 --deadline）。",
    },
    # -- linear regression -----------------------------------------------------------
    "sgd.not_divided": {
        "en": "The step is batch_size times too large: divide the gradient by batch_size "
              "(param.grad is the sum of the gradients of the batch_size examples).",
        "zh": "更新步长大了 batch_size 倍：梯度要除以 batch_size"
              "（param.grad 是 batch_size 个样本梯度之和）。",
    },
    "sgd.divided_twice": {
        "en": "The step is batch_size times too small: the gradient is divided by batch_size "
              "twice. Divide it once.",
        "zh": "更新步长小了 batch_size 倍：梯度被除了两次 batch_size，只需除一次。",
    },
    "sgd.rebinds": {
        "en": "sgd did not change the caller's tensors: `param = param - ...` only rebinds "
              "the loop variable. Update in place: `param -= lr * param.grad / batch_size` "
              "inside `with torch.no_grad():`.",
        "zh": "sgd 没有改变调用者的张量：`param = param - ...` 只是让循环变量指向新张量。"
              "请在 `with torch.no_grad():` 中原地更新：`param -= lr * param.grad / batch_size`。",
    },
    "sgd.leaf_in_place": {
        "en": "PyTorch refuses to change a leaf tensor that requires grad in place while "
              "autograd is recording. Do the update inside `with torch.no_grad():` (or "
              "on param.data).",
        "zh": "在自动求导记录计算图时，PyTorch 不允许原地修改需要梯度的叶子张量。"
              "请把更新写在 `with torch.no_grad():` 里（或对 param.data 操作）。",
    },
    "sgd.replaced_param": {
        "en": "After sgd, {name} is no longer a leaf tensor that requires grad: update its "
              "values in place instead of replacing or detaching it.",
        "zh": "sgd 之后 {name} 不再是需要梯度的叶子张量：请原地更新它的数值，不要替换它，也不要对它调用 detach()。",
    },
    "sgd.wrong_step": {
        "en": "{name} after one sgd step is wrong: expected param - lr * param.grad / "
              "batch_size.",
        "zh": "sgd 一步之后 {name} 的值不对：应为 `param - lr * param.grad / batch_size`。",
    },
    "sgd.changed_grad": {
        "en": "sgd changed param.grad to something other than zero: leave the gradients "
              "alone (or zero them, as d2l-zh does).",
        "zh": "sgd 把 param.grad 改成了非零的其他值：请不要改动梯度（或像 d2l-zh 那样清零）。",
    },
    "train_epoch.non_scalar_backward": {
        "en": "train_epoch calls backward() on a loss with one value per example: "
              "sum it first, `loss(net(X, *params), y).sum().backward()`.",
        "zh": "train_epoch 对每个样本一个值的损失调用了 backward()：请先求和，"
              "`loss(net(X, *params), y).sum().backward()`。",
    },
    "train_epoch.loss_arguments_swapped": {
        "en": "train_epoch calls loss(y, net(X, *params)): the book's loss takes the "
              "prediction first, then the label, `loss(net(X, *params), y)`. The squared "
              "loss happens to give the same value either way, but it reshapes its second "
              "argument to the first's shape, and a loss that is not symmetric (such as the "
              "cross-entropy of the next chapters) would compute something else.",
        "zh": "train_epoch 调用的是 loss(y, net(X, *params))：书中的损失函数先接收预测值，"
              "再接收标签，应写作 `loss(net(X, *params), y)`。平方损失碰巧在两种顺序下"
              "结果相同，但它会把第二个参数变形为第一个参数的形状；对不对称的损失"
              "（例如后面章节的交叉熵），交换参数就会算出别的东西。",
    },
    "train_epoch.never_zeroes": {
        "en": "train_epoch never zeroes the gradients, so they accumulate across batches: "
              "at batch {batch} the updater saw the sum of the gradients of batches 1 to "
              "{batch}. Zero every param.grad after the update (param.grad.zero_()), or "
              "before each backward().",
        "zh": "train_epoch 从不清零梯度，梯度会跨批次累加：第 {batch} 批时更新函数看到的是第 1 到第 "
              "{batch} 批梯度之和。请在每次更新后清零 param.grad（param.grad.zero_()），"
              "或者在每次 backward() 之前清零。",
    },
    "train_epoch.zeroes_before_update": {
        "en": "train_epoch zeroes the gradients before the update, so the updater sees only "
              "zeros and nothing is learned: zero them after updater(...) (or before "
              "backward()).",
        "zh": "train_epoch 在更新之前就把梯度清零了，更新函数只看到零，模型学不到东西："
              "请在 updater(...) 之后（或 backward() 之前）清零。",
    },
    "train_epoch.mean_loss": {
        "en": "train_epoch averages the loss before backward(), so the gradient is "
              "batch_size times too small (the updater divides by batch_size again): "
              "sum it with .sum().",
        "zh": "train_epoch 在 backward() 前对损失取了平均，梯度小了 batch_size 倍"
              "（更新函数还会再除以 batch_size）：请用 .sum() 求和。",
    },
    "train_epoch.update_count": {
        "en": "train_epoch called the updater {actual} times for {expected} minibatches: "
              "call it once per minibatch.",
        "zh": "train_epoch 对 {expected} 个小批量调用了 {actual} 次更新函数：每个小批量应调用一次。",
    },
    "train_epoch.updater_arguments": {
        "en": "train_epoch called updater(params, {lr}, {batch_size}); expected "
              "updater(params, lr, batch_size) with lr={expected_lr}, "
              "batch_size={expected_batch_size}.",
        "zh": "train_epoch 调用了 updater(params, {lr}, {batch_size})；应为 "
              "updater(params, lr, batch_size)，其中 lr={expected_lr}，"
              "batch_size={expected_batch_size}。",
    },
    "train_epoch.wrong_gradient": {
        "en": "At batch {batch} the updater saw the wrong gradient: compute "
              "loss(net(X, *params), y).sum() for that batch and call backward() on it.",
        "zh": "第 {batch} 批时更新函数看到的梯度不对：请对这一批计算 "
              "loss(net(X, *params), y).sum() 并对它调用 backward()。",
    },
    "squared_loss.broadcast": {
        "en": "squared_loss returned shape {actual} for y_hat {y_hat_shape} and y "
              "{y_shape}: y_hat - y broadcast to (n, n). Reshape y first: "
              "y.reshape(y_hat.shape).",
        "zh": "y_hat 形状为 {y_hat_shape}、y 形状为 {y_shape} 时 squared_loss 返回了形状 "
              "{actual}：y_hat - y 被广播成了 (n, n)。请先 y.reshape(y_hat.shape)。",
    },
    "squared_loss.no_half": {
        "en": "squared_loss is twice the expected value: divide by 2, "
              "(y_hat - y) ** 2 / 2.",
        "zh": "squared_loss 的值是正确值的两倍：请除以 2，即 (y_hat - y) ** 2 / 2。",
    },
    "squared_loss.reduced": {
        "en": "squared_loss returned a single number (a {reduction}), but it should return "
              "one loss per example, shaped like y_hat: leave the reduction to the caller.",
        "zh": "squared_loss 返回了一个数（{reduction}），但应当返回每个样本各自的损失，"
              "形状与 y_hat 相同：求和或平均交给调用者。",
    },
    "data_iter.missing": {
        "en": "data_iter skipped {count} example(s) in one epoch (e.g. example {example}): "
              "every example must appear exactly once.",
        "zh": "data_iter 在一个轮次中漏掉了 {count} 个样本（例如第 {example} 个）：每个样本必须恰好出现一次。",
    },
    "data_iter.repeated": {
        "en": "data_iter yielded example {example} {times} times in one epoch: every "
              "example must appear exactly once.",
        "zh": "data_iter 在一个轮次中把第 {example} 个样本给出了 {times} 次：每个样本必须恰好出现一次。",
    },
    "data_iter.dropped_last": {
        "en": "data_iter dropped the short last batch ({count} examples): keep it, "
              "the last batch may be shorter than batch_size.",
        "zh": "data_iter 丢掉了最后那个不满的小批量（{count} 个样本）：请保留它，最后一批可以小于 batch_size。",
    },
    "data_iter.not_shuffled": {
        "en": "data_iter reads the examples in their stored order: shuffle the indices "
              "(torch.randperm) so each minibatch is a random sample.",
        "zh": "data_iter 按存储顺序读取样本：请打乱下标（torch.randperm），让每个小批量都是随机样本。",
    },
    "data_iter.same_order": {
        "en": "data_iter gives the same order in every epoch: shuffle inside data_iter, each "
              "time it is called, not once at import.",
        "zh": "data_iter 每个轮次的顺序都一样：请在 data_iter 每次被调用时打乱，而不是在导入时只打乱一次。",
    },
    "data_iter.batch_size": {
        "en": "data_iter yielded a batch of {actual} examples where {expected} were "
              "expected: all batches but the last hold batch_size examples.",
        "zh": "data_iter 给出了含 {actual} 个样本的小批量，应为 {expected} 个：除最后一批外每批都应有 "
              "batch_size 个样本。",
    },
    "data_iter.batch_too_large": {
        "en": "data_iter yielded {actual} examples in batch {batch}, more than batch_size = "
              "{batch_size}: every batch holds batch_size examples, and only the last may "
              "hold fewer (the remaining n % batch_size). Cut the shuffled indices into "
              "slices indices[i : i + batch_size] for i in range(0, n, batch_size).",
        "zh": "data_iter 在第 {batch} 个小批量中给出了 {actual} 个样本，多于 batch_size = {batch_size}："
              "每个小批量应有 batch_size 个样本，只有最后一批可以更少（剩下的 n % batch_size 个）。"
              "请把打乱后的下标切成 indices[i : i + batch_size]，其中 i 取 range(0, n, batch_size)。",
    },
    "data_iter.mismatched_pairs": {
        "en": "data_iter pairs features with the wrong labels: index features and labels "
              "with the same indices.",
        "zh": "data_iter 把特征和错误的标签配在了一起：请用同一组下标去取 features 和 labels。",
    },
    "data_iter.not_an_example": {
        "en": "data_iter yielded a row that is none of the examples it was given (its "
              "label is {value}): yield rows of features and labels as they are.",
        "zh": "data_iter 产出的某一行不是传入的任何一个样本（它的标签是 {value}）：请原样产出 "
              "features 和 labels 中的行。",
    },
    "data_iter.empty_batch": {
        "en": "data_iter's minibatch {batch} is empty: stop once every example was yielded "
              "(range(0, num_examples, batch_size) does).",
        "zh": "data_iter 的第 {batch} 个小批量是空的：所有样本都产出之后就应停止"
              "（range(0, num_examples, batch_size) 正是如此）。",
    },
    "data_iter.not_pairs": {
        "en": "data_iter should yield (X, y) pairs of tensors, but it yielded {actual}.",
        "zh": "data_iter 应当产出 (X, y) 张量对，但它产出了 {actual}。",
    },
    # -- the report ------------------------------------------------------------------
    "skipped_no_cuda": {"en": "skipped: no CUDA device", "zh": "已跳过：没有 CUDA 设备"},
    "report.total": {
        "en": "Total: {score:g} / {max_score:g} ({percent:.1f}%)",
        "zh": "总分：{score:g} / {max_score:g}（{percent:.1f}%）",
    },
    "report.points": {"en": "points", "zh": "得分"},
    "report.pass": {"en": "pass", "zh": "通过"},
    "report.fail": {"en": "FAIL", "zh": "未通过"},
    "report.skipped": {"en": "skipped", "zh": "跳过"},
    "report.failures": {"en": "What to fix:", "zh": "需要修改的地方："},
    # Under the table: what its device columns mean.
    "report.devices": {
        "en": "cpu: values, on the CPU. cuda: values and where results go, on a GPU "
              "(skipped without one). placement: where results go, without a GPU, on one "
              "simulated on the CPU (its tensors say cuda:0 and hold real values), with the "
              "verdicts cuda would give.",
        "zh": "cpu：在 CPU 上检查数值。cuda：在 GPU 上检查数值和结果所在的设备（没有 GPU 时跳过）。"
              "`placement`：没有 GPU 时，在 CPU 上模拟的 GPU 上检查结果所在的设备（它的张量显示为 "
              "`cuda:0`，数值是真实的），判定与 cuda 相同。",
    },
    "report.output": {"en": "your code printed:", "zh": "你的代码输出了："},
    "grader_error": {
        "en": "The grader itself failed on this test ({error}); please report it.",
        "zh": "评分器本身在这个测试上出错（{error}），请报告此问题。",
    },
    # -- the command line: options that cannot be graded ------------------------------
    "cli.unknown_name": {
        "en": "--only {name}: no exercise module or function has that name{suggestion}. "
              "Modules: {modules}. Functions: {functions}.",
        "zh": "--only {name}：没有叫这个名字的练习模块或函数{suggestion}。"
              "模块：{modules}。函数：{functions}。",
    },
    "cli.did_you_mean": {"en": " (did you mean {name}?)", "zh": "（你是想写 {name} 吗？）"},
    "cli.no_gpu": {
        "en": "--device cuda: no GPU is visible to PyTorch (torch.cuda.is_available() is "
              "False). Grade with --device cpu, or with --device all, which checks placement "
              "on a GPU simulated on the CPU instead.",
        "zh": "--device cuda：PyTorch 检测不到任何 CUDA 设备（torch.cuda.is_available() 为 "
              "False）。请改用 `--device cpu`，或用 `--device all`（它改在 CPU 上模拟的 GPU 上检查设备位置）。",
    },
    "cli.bad_device": {
        "en": "--device {value}: choose cpu, cuda, placement or all.",
        "zh": "--device {value}：只能是 `cpu`、`cuda`、`placement` 或 `all`。",
    },
    "cli.bad_timeout": {
        "en": "--timeout {value}: the time each call may take must be a positive number of "
              "seconds, e.g. --timeout 5.",
        "zh": "--timeout {value}：每次调用的时限必须是正的秒数，例如 --timeout 5。",
    },
    "cli.bad_deadline": {
        "en": "--deadline {value}: the time the whole submission may take must be a positive "
              "number of seconds, e.g. --deadline 300.",
        "zh": "--deadline {value}：整个提交的时限必须是正的秒数，例如 --deadline 300。",
    },
    "cli.bad_fail_under": {
        "en": "--fail-under {value}: give a percentage from 0 to 100, e.g. --fail-under 60.",
        "zh": "--fail-under {value}：请给出 0 到 100 之间的百分数，例如 --fail-under 60。",
    },
    "cli.bad_lang": {
        "en": "--lang {value}: choose en or zh.",
        "zh": "--lang {value}：只能是 `en` 或 `zh`。",
    },
    "cli.bad_visibility": {
        "en": "--visibility {value}: choose visible, hidden, after_due_date or after_published.",
        "zh": "--visibility {value}：只能是 `visible`、`hidden`、`after_due_date` 或 `after_published`。",
    },
    "cli.bad_sandbox": {
        "en": "--sandbox {value}: choose auto, strict or off.",
        "zh": "--sandbox {value}：只能是 `auto`、`strict` 或 `off`。",
    },
    "cli.bad_hints": {
        "en": "--hints {value}: choose full (the mistake and how to fix it) or name (only "
              "the mistake).",
        "zh": "--hints {value}：只能是 `full`（错误及改法）或 `name`（只说出错误）。",
    },
    "cli.bad_jobs": {
        "en": "-j {value}: the number of students graded at once must be a whole number "
              "from 1 up, e.g. -j 2.",
        "zh": "-j {value}：同时评分的学生数必须是不小于 1 的整数，例如 -j 2。",
    },
    "batch.grader_died": {
        "en": "the grading process stopped ({ending}) while grading this student; the "
              "other students were not affected.",
        "zh": "评分进程在给这名学生评分时停止了（{ending}），其他学生不受影响。",
    },
    "batch.grader_stuck": {
        "en": "grading this student did not end within {seconds} s, past the --deadline: "
              "the grading process was stopped; the other students were not affected.",
        "zh": "这名学生的评分在 {seconds} 秒内没有结束，超过了 --deadline，评分进程已被停止；"
              "其他学生不受影响。",
    },
    "cli.nothing_graded": {
        "en": "--only {only} --device {device}: no test of {only} runs on {device}, so "
              "nothing was graded. Grade it with --device all.",
        "zh": "--only {only} --device {device}：{only} 没有任何测试在 {device} 上运行，因此什么都没有评分。"
              "请改用 `--device all`。",
    },
    "cli.below_fail_under": {
        "en": "score {percent:.1f}% is below --fail-under {threshold:g}",
        "zh": "得分 {percent:.1f}% 低于 --fail-under {threshold:g}",
    },
    # -- the command line's help, and argparse's own words (autograder/parsing.py) -----
    "cli.description": {
        "en": "Grade a submission of the D2L exercises against the hidden suites.",
        "zh": "用隐藏的测试集给《动手学深度学习》练习的提交评分。",
    },
    "cli.see_help": {"en": " (grade --help)", "zh": "（`grade --help`）"},
    "cli.help.path": {"en": "the folder holding your .py files",
                      "zh": "存放你的 .py 文件的文件夹"},
    "cli.help.json": {"en": "write a Gradescope results.json",
                      "zh": "写出 `Gradescope` 格式的 results.json"},
    "cli.help.device": {
        "en": "where the tests run (default: all; cuda is skipped without a GPU)",
        "zh": "测试在哪个设备上运行（默认 `all`；没有 GPU 时跳过 cuda）",
    },
    "cli.help.timeout": {
        "en": "seconds of CPU time each call into your code may take (default: 5)",
        "zh": "每次调用你的代码最多可用的 CPU 秒数（默认 5）",
    },
    "cli.help.deadline": {
        "en": "seconds the whole submission may take (default: 300)",
        "zh": "整个提交最多可用的秒数（默认 300）",
    },
    "cli.help.only": {
        "en": "grade one module or function, e.g. linear_regression or sgd",
        "zh": "只评一个模块或函数，例如 linear_regression 或 sgd",
    },
    "cli.help.public": {"en": "run only the public tests", "zh": "只运行公开的测试"},
    "cli.help.lang": {"en": "language of the feedback (default: from the locale)",
                      "zh": "反馈的语言（默认跟随系统语言）"},
    "cli.help.html": {"en": "write a feedback page with pictures of your functions",
                      "zh": "写出带有你的函数图像的反馈网页"},
    "cli.help.fail_under": {"en": "exit 1 when the score is below {metavar} percent",
                            "zh": "得分（百分比）低于 {metavar} 时以退出码 1 结束"},
    "cli.help.sandbox": {
        "en": "isolation of your code: every layer the machine allows (auto), all of them "
              "or no grading (strict, exit 3), none (off)",
        "zh": "如何隔离你的代码：本机允许的所有隔离层（`auto`）、缺一层就不评分（`strict`，"
              "退出码 3）、不隔离（`off`）",
    },
    "cli.help.visibility": {
        "en": "who sees each test in results.json, and when (default: visible)",
        "zh": "results.json 中每个测试对谁可见、何时可见（默认 `visible`）",
    },
    "cli.help.junit": {"en": "write JUnit XML: a testcase per test and device (for CI)",
                       "zh": "写出 `JUnit XML`：每个测试和设备一个测试用例（用于持续集成）"},
    "cli.help.markdown": {
        "en": "write a Markdown summary: the table and what to fix (for CI)",
        "zh": "写出 `Markdown` 摘要：得分表和需要修改的地方（用于持续集成）",
    },
    "cli.help.watch": {
        "en": "grade again each time a file of the submission is saved (Ctrl-C ends it)",
        "zh": "每次保存提交中的文件时重新评分（按 `Ctrl-C` 结束）",
    },
    "cli.help.hints": {
        "en": "how much each diagnosis says: the mistake and how to fix it (full, the "
              "default), or only the mistake's name (name)",
        "zh": "诊断说到什么程度：错误及改法（`full`，默认），或只说出错误（`name`）",
    },
    "cli.metavar.path": {"en": "PATH", "zh": "路径"},
    "cli.metavar.file": {"en": "FILE", "zh": "文件"},
    "cli.metavar.seconds": {"en": "S", "zh": "秒数"},
    "cli.metavar.only": {"en": "MODULE_OR_FUNCTION", "zh": "模块或函数"},
    "cli.metavar.percent": {"en": "PCT", "zh": "百分数"},
    "watch.waiting": {
        "en": "Watching {path} for changes (Ctrl-C to stop)...",
        "zh": "正在等待 {path} 中的文件改动（按 `Ctrl-C` 结束）……",
    },
    "cli.watch_alone": {
        "en": "--watch grades again on each save and writes no report file: leave out "
              "{options}, or grade once without --watch.",
        "zh": "--watch 会在每次保存后重新评分，不写出任何报告文件：请去掉 {options}，"
              "或不加 --watch 评一次分。",
    },
    "check.public": {
        "en": "Public checks of {function}: {score:g}/{max_score:g} points. "
              "check(..., hidden=True) or `grade` runs every check.",
        "zh": "{function} 的公开检查：{score:g}/{max_score:g} 分。"
              "`check(..., hidden=True)` 或 `grade` 会运行全部检查。",
    },
    "check.all": {
        "en": "Every check of {function}: {score:g}/{max_score:g} points.",
        "zh": "{function} 的全部检查：{score:g}/{max_score:g} 分。",
    },
    "check.no_code": {
        "en": "check() grades what a Jupyter notebook's kernel has run; elsewhere, pass "
              "the code: check(name, source=...) or check(name, path=...).",
        "zh": "`check()` 评的是笔记本内核运行过的代码；在别处请直接给出代码："
              "`check(name, source=...)` 或 `check(name, path=...)`。",
    },
    "watch.stopped": {"en": "stopped watching.", "zh": "已停止监视。"},
    "argparse.usage": {"en": "usage: ", "zh": "用法："},
    "argparse.options": {"en": "options", "zh": "选项"},
    "argparse.positionals": {"en": "positional arguments", "zh": "位置参数"},
    "argparse.help": {"en": "show this help message and exit", "zh": "显示此帮助信息并退出"},
    "argparse.error": {"en": "{prog}: error: {message}\n", "zh": "{prog}：错误：{message}\n"},
    "argparse.unrecognized": {"en": "unrecognized arguments: {arguments}",
                              "zh": "无法识别的参数：{arguments}"},
    "argparse.required": {"en": "the following arguments are required: {arguments}",
                          "zh": "缺少以下参数：{arguments}"},
    "argparse.invalid_choice": {"en": "invalid choice: {value} (choose from {choices})",
                                "zh": "无效的选择：{value}（可选：{choices}）"},
    "argparse.expected_one": {"en": "expected one argument", "zh": "需要一个参数值"},
    "argparse.expected_at_most_one": {"en": "expected at most one argument",
                                      "zh": "最多需要一个参数值"},
    "argparse.expected_at_least_one": {"en": "expected at least one argument",
                                       "zh": "至少需要一个参数值"},
    "argparse.expected_n": {"en": "expected {count} arguments", "zh": "需要 {count} 个参数值"},
    "argparse.ambiguous": {"en": "ambiguous option: {option} could match {matches}",
                           "zh": "有歧义的选项：{option} 可以匹配 {matches}"},
    "argparse.argument": {"en": "argument {argument_name}: {message}",
                          "zh": "参数 {argument_name}：{message}"},
    "argparse.invalid_type": {"en": "invalid {type} value: {value}",
                              "zh": "无效的 {type} 值：{value}"},
    "argparse.not_allowed": {"en": "not allowed with argument {arguments}",
                             "zh": "不能与参数 {arguments} 同时使用"},
    "argparse.one_of_required": {"en": "one of the arguments {arguments} is required",
                                 "zh": "必须给出参数 {arguments} 之一"},
    "argparse.ignored_explicit": {"en": "ignored explicit argument {value}",
                                  "zh": "忽略了显式给出的参数值 {value}"},
    "argparse.unknown_parser": {"en": "unknown parser {parser_name} (choices: {choices})",
                                "zh": "未知的子命令 {parser_name}（可选：{choices}）"},
    "submission.missing": {"en": "{path}: no such file or folder",
                           "zh": "{path}：没有这个文件或文件夹"},
    "batch.out_unwritable": {
        "en": "{path}: {reason}: the class's results cannot be written there",
        "zh": "{path}：{reason}：无法在那里写入全班的结果",
    },
    "cli.cannot_write": {
        "en": "{path}: {reason}: the report above is complete, but this file was not "
              "written",
        "zh": "{path}：{reason}：上面的报告是完整的，但这个文件没有写成",
    },
    "submission.link": {
        "en": "{path}: a symbolic link (to {target}); links are not followed: pass the "
              "folder itself",
        "zh": "{path}：是一个符号链接（指向 {target}）；链接不会被跟随：请直接给出文件夹本身",
    },
    "submission.not_a_folder": {
        "en": "{path}: not a folder (pass the folder holding your .py files)",
        "zh": "{path}：不是文件夹（请给出存放你的 .py 文件的文件夹）",
    },
    "submission.no_module": {
        "en": "{path}: no exercise module found (expected any of {expected} or the same "
              "names as .ipynb notebooks)",
        "zh": "{path}：没有找到任何练习模块（应为 {expected} 之一，或同名的 .ipynb 笔记本）",
    },
    # -- softmax regression ----------------------------------------------------------
    "softmax.wrong_dim": {
        "en": "softmax normalises the wrong dimension: its columns sum to 1, not its rows. "
              "Each row X[i] holds the logits of one example, so sum over the classes, "
              "dim=1: X_exp / X_exp.sum(dim=1, keepdim=True).",
        "zh": "softmax 在错误的维度上归一化：结果的每一列和为 1，而不是每一行。X[i] 这一行是一个样本的"
              "各类别得分，所以要在类别维度 dim=1 上求和：X_exp / X_exp.sum(dim=1, keepdim=True)。",
    },
    "softmax.no_keepdim": {
        "en": "softmax divides by a row sum (or subtracts a row maximum) of shape (n,) "
              "without keepdim=True{where}: broadcasting lines it up with the columns, not the "
              "rows, which fails when n != q and silently gives wrong values when n == q. "
              "Keep the dimension: X_exp.sum(dim=1, keepdim=True) has shape (n, 1).",
        "zh": "softmax 除以（或减去）形状为 (n,) 的行和（行最大值）时没有写 keepdim=True{where}："
              "广播会把它对齐到列而不是行，n != q 时报错，n == q 时悄悄算出错误的值。"
              "请保留维度：X_exp.sum(dim=1, keepdim=True) 的形状是 (n, 1)。",
    },
    "softmax.overflow": {
        "en": "softmax returns nan or inf for large logits (around +-1000): exp(1000) is "
              "inf in float32, and inf / inf is nan. Subtract each row's maximum before "
              "exp, X - X.max(dim=1, keepdim=True).values: softmax is unchanged by the "
              "shift and the largest exponent becomes exp(0) = 1. (The book's own "
              "version has this flaw; this test costs only its share.)",
        "zh": "logits 很大（约 +-1000）时 softmax 返回 nan 或 inf：float32 中 exp(1000) 是 inf，"
              "inf / inf 是 nan。请在 exp 之前减去每行的最大值，X - X.max(dim=1, keepdim=True).values："
              "平移不改变 softmax，最大的指数变成 exp(0) = 1。（书中原版代码也有这个问题；"
              "这个测试只占很小的分值。）",
    },
    "softmax.global_max": {
        "en": "softmax subtracts one maximum for the whole matrix instead of each row's "
              "own: in a row far below the global maximum every exp underflows to 0 and "
              "0 / 0 is nan. Subtract X.max(dim=1, keepdim=True).values.",
        "zh": "softmax 减去的是整个矩阵的最大值，而不是每一行自己的最大值：某一行远小于全局最大值时，"
              "这一行所有 exp 都下溢为 0，0 / 0 得到 nan。请减去 X.max(dim=1, keepdim=True).values。",
    },
    "cross_entropy.fancy_index": {
        "en": "cross_entropy returned shape {actual}: y_hat[:, y] takes the whole column "
              "y[j] for every j, an (n, n) matrix. Pick one entry per row, the true "
              "class's: y_hat[range(len(y_hat)), y] or y_hat.gather(1, y.view(-1, 1)).",
        "zh": "cross_entropy 返回了形状 {actual}：y_hat[:, y] 对每个 j 都取出整列 y[j]，得到 (n, n) 矩阵。"
              "每行只应取一个元素，即真实类别的概率：y_hat[range(len(y_hat)), y] 或 "
              "y_hat.gather(1, y.view(-1, 1))。",
    },
    "cross_entropy.float_labels": {
        "en": "cross_entropy indexes y_hat with floating-point labels{where}, and PyTorch only "
              "accepts integer indices (gather needs int64, fancy indexing long/int/bool). "
              "The labels are class indices: keep y as the int64 tensor it is (drop "
              ".float() or dtype=torch.float32), or convert with y.long().",
        "zh": "cross_entropy 用浮点数标签去索引 y_hat{where}，而 PyTorch 只接受整数下标（gather() 需要 int64，"
              "花式索引需要 long/int/bool）。标签是类别下标：请保持 y 为原来的 int64 张量"
              "（去掉 .float() 或 dtype=torch.float32），或者用 y.long() 转换。",
    },
    "cross_entropy.one_hot": {
        "en": "cross_entropy treats y as one-hot rows{where}, but y holds class indices: a "
              "tensor of shape (n,) such as tensor([2, 0, 1]), not a matrix of shape (n, q), "
              "so y * log(y_hat) does not line up and y.argmax(dim=1) has no dimension 1. "
              "Pick each row's probability of its true class, "
              "y_hat[range(len(y_hat)), y] or y_hat.gather(1, y.view(-1, 1)), and take -log "
              "of it (or make the one-hot rows with F.one_hot(y, num_classes=y_hat.shape[1])).",
        "zh": "cross_entropy 把 y 当成了独热向量组成的行{where}，但 y 存的是类别下标：形状为 (n,) 的张量，"
              "例如 tensor([2, 0, 1])，而不是形状为 (n, q) 的矩阵，所以 y * log(y_hat) 对不齐，"
              "y.argmax(dim=1) 也没有第 1 维。请取出每行真实类别的概率："
              "y_hat[range(len(y_hat)), y] 或 y_hat.gather(1, y.view(-1, 1))，再取 -log"
              "（或者用 F.one_hot(y, num_classes=y_hat.shape[1]) 构造独热行）。",
    },
    "cross_entropy.sign": {
        "en": "cross_entropy has the wrong sign: it returns log(y_hat[i, y[i]]), which is "
              "negative. The loss is -log(y_hat[i, y[i]]) (>= 0).",
        "zh": "cross_entropy 的符号错了：它返回的是 log(y_hat[i, y[i]])，是负数。"
              "损失应为 -log(y_hat[i, y[i]])（>= 0）。",
    },
    "cross_entropy.no_log": {
        "en": "cross_entropy returns the picked probabilities y_hat[i, y[i]] themselves "
              "(up to sign), without the log: the loss is -torch.log(y_hat[i, y[i]]).",
        "zh": "cross_entropy 返回的是取出的概率 y_hat[i, y[i]] 本身（可能带负号），没有取对数："
              "损失应为 -torch.log(y_hat[i, y[i]])。",
    },
    "cross_entropy.reduced": {
        "en": "cross_entropy returned a single number (the {reduction} over the batch), "
              "but it should return one loss per example, shape (n,) (or (n, 1)): leave "
              "the reduction to the caller.",
        "zh": "cross_entropy 返回了一个数（整批的{reduction}），但应当返回每个样本各自的损失，"
              "形状为 (n,)（或 (n, 1)）：求和或平均交给调用者。",
    },
    "reduction.mean": {"en": "mean", "zh": "平均值"},
    "reduction.sum": {"en": "sum", "zh": "总和"},
    "cross_entropy.zero_other": {
        "en": "Row {row} of y_hat gives probability exactly 0 to a class that is not the "
              "true one, and cross_entropy returns {actual} there instead of {expected:.6g}. "
              "log(0) is -inf, and multiplying it by the 0 of a one-hot label gives "
              "0 * -inf = nan. Pick the true class's probability first "
              "(y_hat[range(len(y_hat)), y] or y_hat.gather(1, y.view(-1, 1))) and take "
              "the log of that only: zeros elsewhere are harmless then.",
        "zh": "y_hat 的第 {row} 行中一个非真实类别的概率恰好为 0，cross_entropy 在这里返回了 {actual}，"
              "应为 {expected:.6g}。log(0) 是 -inf，再乘以独热标签中的 0 得到 0 * -inf = nan。"
              "请先取出真实类别的概率（y_hat[range(len(y_hat)), y] 或 y_hat.gather(1, y.view(-1, 1))），"
              "只对它取对数：这样其他位置的 0 就不会有影响。",
    },
    "cross_entropy.zero_true": {
        "en": "Row {row} of y_hat gives the true class probability exactly 0, and "
              "cross_entropy returns {actual} there. The right loss is -log(0) = inf: the "
              "model called the true class impossible, the worst prediction there is. "
              "torch.log(0.) gives -inf, so -torch.log(y_hat[i, y[i]]) is inf by itself; "
              "don't turn it into nan, 0 or a small number (a tiny epsilon such as "
              "log(p + 1e-12) is accepted: it keeps the loss very large).",
        "zh": "y_hat 的第 {row} 行中真实类别的概率恰好为 0，cross_entropy 在这里返回了 {actual}。"
              "正确的损失是 -log(0) = inf：模型认为真实类别不可能出现，这是最差的预测。"
              "torch.log(0.) 得到 -inf，所以 -torch.log(y_hat[i, y[i]]) 本身就是 inf；"
              "不要把它变成 nan、0 或一个小数（加上一个极小的数，如 log(p + 1e-12)，可以接受："
              "损失仍然非常大）。",
    },
    "accuracy.shapes": {
        "en": "accuracy compares tensors whose shapes do not match{where}: y_hat is (n, q) and y "
              "is (n,). Take the predicted class of each row first, y_hat.argmax(dim=1) "
              "(shape (n,)), then compare it with y.",
        "zh": "accuracy 比较了形状不匹配的张量{where}：y_hat 是 (n, q)，y 是 (n,)。请先取每一行的预测类别 "
              "y_hat.argmax(dim=1)（形状 (n,)），再与 y 比较。",
    },
    "accuracy.no_argmax": {
        "en": "accuracy returned {actual:g} where {expected:g} of the predictions are "
              "right: it seems to compare the probabilities themselves with the labels, "
              "which are never equal. Compare the predicted classes, "
              "y_hat.argmax(dim=1) == y.",
        "zh": "accuracy 返回了 {actual:g}，而正确的预测比例是 {expected:g}：它似乎直接拿概率与标签比较，"
              "二者永远不相等。请比较预测类别：y_hat.argmax(dim=1) == y。",
    },
    "accuracy.argmax_dim": {
        "en": "accuracy takes the argmax over the wrong dimension: the predicted class of "
              "example i is the largest entry of row i, y_hat.argmax(dim=1), not "
              "y_hat.argmax(dim=0).",
        "zh": "accuracy 在错误的维度上取 argmax：第 i 个样本的预测类别是第 i 行最大元素的位置，"
              "即 y_hat.argmax(dim=1)，而不是 y_hat.argmax(dim=0)。",
    },
    "accuracy.count": {
        "en": "accuracy returned {actual:g}, the number of correct predictions: divide by "
              "the number of examples, len(y), to get the fraction.",
        "zh": "accuracy 返回了 {actual:g}，即预测正确的个数：请除以样本数 len(y) 得到比例。",
    },
    "accuracy.wrong_value": {
        "en": "accuracy returned {actual:.6g}, expected {expected:.6g}: the fraction of "
              "rows i with y_hat[i].argmax() == y[i].",
        "zh": "accuracy 返回了 {actual:.6g}，应为 {expected:.6g}：即满足 y_hat[i].argmax() == y[i] "
              "的行所占的比例。",
    },
    "accuracy.tensor": {
        "en": "accuracy returned {actual}; it should return a Python float: call .item() "
              "on the 0-dimensional tensor, e.g. (y_hat.argmax(dim=1) == y).float().mean()"
              ".item().",
        "zh": "accuracy 返回了 {actual}；它应当返回 Python 的 float：请对 0 维张量调用 .item()，"
              "例如 (y_hat.argmax(dim=1) == y).float().mean().item()。",
    },
    # -- activations -----------------------------------------------------------------
    "activation.sign_flip": {
        "en": "{function} returns {function}(-x) instead of {function}(x): a sign is "
              "flipped. {function}(x) = {formula}.",
        "zh": "{function} 返回的是 {function}(-x) 而不是 {function}(x)：有一个符号写反了。"
              "{function}(x) = {formula}。",
    },
    "tanh.half_argument": {
        "en": "tanh returns tanh(x / 2): (1 - exp(-x)) / (1 + exp(-x)) is tanh of half "
              "the argument. tanh(x) = (1 - exp(-2x)) / (1 + exp(-2x)).",
        "zh": "tanh 返回的是 tanh(x / 2)：(1 - exp(-x)) / (1 + exp(-x)) 是参数减半后的 tanh。"
              "tanh(x) = (1 - exp(-2x)) / (1 + exp(-2x))。",
    },
    "sigmoid.overflow": {
        "en": "sigmoid gives nan or inf {part} for large |x| (at x = {x:g}): exp of a large "
              "positive number overflows (exp(89) is already inf in float32). Only ever "
              "take exp of a non-positive number: z = exp(-|x|), then 1 / (1 + z) where "
              "x >= 0 and z / (1 + z) where x < 0. Note that torch.where evaluates both "
              "branches: a branch that overflows still turns the gradient into nan where "
              "it is not chosen. Write -|x| as torch.where(x >= 0, -x, x), not with abs(): "
              "the gradient of abs() is 0 at x = 0, where sigmoid's derivative is 0.25.",
        "zh": "|x| 很大时（x = {x:g}）sigmoid 的{part}出现 nan 或 inf：对大的正数取 exp 会溢出"
              "（float32 中 exp(89) 就已经是 inf）。只对非正数取 exp：z = exp(-|x|)，x >= 0 时用 "
              "1 / (1 + z)，x < 0 时用 z / (1 + z)。注意 torch.where 会计算两个分支：溢出的分支即使没被选中，"
              "也会让梯度变成 nan。请用 torch.where(x >= 0, -x, x) 计算 -|x|，不要用 abs()："
              "abs() 在 x = 0 处的梯度是 0，而 sigmoid 在那里的导数是 0.25。",
    },
    "tanh.overflow": {
        "en": "tanh gives nan or inf {part} for large |x| (at x = {x:g}): exp of a large "
              "positive number overflows (exp(89) is already inf in float32), and "
              "inf / inf is nan. Only ever take exp of a non-positive number: compute "
              "t = tanh(|x|) = (1 - e) / (1 + e) with e = exp(-2|x|) and restore the sign "
              "(tanh is odd). Note that torch.where evaluates both branches: a branch "
              "that overflows still turns the gradient into nan where it is not chosen. "
              "Write -|x| as torch.where(x >= 0, -x, x) and restore the sign with "
              "torch.where(x >= 0, t, -t), not with abs() or sign(x) * t: their gradient "
              "is 0 at x = 0, where tanh's derivative is 1.",
        "zh": "|x| 很大时（x = {x:g}）tanh 的{part}出现 nan 或 inf：对大的正数取 exp 会溢出"
              "（float32 中 exp(89) 就已经是 inf），inf / inf 得到 nan。只对非正数取 exp："
              "用 e = exp(-2|x|) 计算 t = tanh(|x|) = (1 - e) / (1 + e)，再恢复符号（tanh 是奇函数）。"
              "注意 torch.where 会计算两个分支：溢出的分支即使没被选中，也会让梯度变成 nan。"
              "请用 torch.where(x >= 0, -x, x) 计算 -|x|，用 torch.where(x >= 0, t, -t) 恢复符号，"
              "不要用 abs() 或 sign(x) * t：它们在 x = 0 处的梯度是 0，而 tanh 在那里的导数是 1。",
    },
    "part.value": {"en": "values", "zh": "函数值"},
    "part.gradient": {"en": "gradients", "zh": "梯度"},
    "activation.no_grad": {
        "en": "{function}'s result is not connected to X in autograd's graph, so no "
              "gradient flows back through it: compute it from X with tensor operations "
              "only (no .detach(), .data, .numpy(), .item() or torch.tensor(...) of X).",
        "zh": "{function} 的结果没有连到 X 的自动求导计算图上，梯度无法反向传播："
              "请只用张量运算从 X 计算结果（不要对 X 用 .detach()、.data、.numpy()、.item() 或 "
              "torch.tensor(...)）。",
    },
    "activation.builtin": {
        "en": "{function} calls {name}: the exercise rules out PyTorch's built-in "
              "activations (relu, sigmoid, tanh, whether from torch, as tensor methods or "
              "from torch.nn.functional) and clamp. Write it yourself from elementary "
              "operations (comparisons, torch.where, torch.exp, arithmetic): "
              "{function}(x) = {formula}.",
        "zh": "{function} 调用了 {name}：这个练习不允许使用 PyTorch 内置的激活函数（relu、sigmoid、tanh，"
              "无论来自 torch、张量方法还是 torch.nn.functional）和 clamp()。请用基本运算"
              "（比较、torch.where、torch.exp、四则运算）自己实现：{function}(x) = {formula}。",
    },
    "activation.numpy": {
        "en": "{function} calls .numpy() on a tensor that autograd tracks{where}: NumPy is "
              "outside autograd, so no gradient could flow back through {function}. Use "
              "torch operations throughout (torch.where, torch.exp, comparisons, "
              "arithmetic).",
        "zh": "{function} 对自动求导正在追踪的张量调用了 .numpy(){where}：NumPy 不在自动求导之内，"
              "梯度无法反向传过 {function}。请全程使用 torch 运算（torch.where、torch.exp、比较、四则运算）。",
    },
    # -- language model samplers -----------------------------------------------------
    "lm.not_pairs": {
        "en": "{function} should yield (X, Y) pairs of tensors, but it yielded {actual}.",
        "zh": "{function} 应当产出 (X, Y) 张量对，但它产出了 {actual}。",
    },
    "lm.dtype": {
        "en": "{what} from {function} has dtype {actual}: token indices must be int64 "
              "(torch.long), which embedding layers and one-hot encoding expect, or "
              "float32 as the book's port makes them (its to_onehot calls .long(), and "
              "float32 holds every index below 2 ** 24 exactly). Build the tensors with "
              "dtype=torch.int64 (torch.tensor of a list of ints already is).",
        "zh": "{function} 给出的 {what} 的数据类型是 {actual}：词元下标必须是 int64（torch.long），"
              "嵌入层和独热编码都需要它；也可以像本书的 PyTorch 版那样用 float32"
              "（它的 to_onehot 会调用 .long()，而 float32 能精确表示 2 ** 24 以下的每个下标）。"
              "请用 dtype=torch.int64 创建张量（由整数列表构造的 torch.tensor 本来就是 int64）。",
    },
    "lm.not_windows": {
        "en": "Row {row} of X in minibatch {batch} from {function} is not a run of "
              "num_steps consecutive tokens of the corpus: every row must be "
              "corpus_indices[s : s + num_steps] for some start s.",
        "zh": "{function} 第 {batch} 个小批量中 X 的第 {row} 行不是语料中连续的 num_steps 个词元："
              "每一行都必须是某个起点 s 的 corpus_indices[s : s + num_steps]。",
    },
    "lm.y_equals_x": {
        "en": "In minibatch {batch} from {function}, Y is the same as X: Y holds the "
              "targets, the token after each token of X, so Y[i] = corpus_indices"
              "[s + 1 : s + num_steps + 1] for X[i] = corpus_indices[s : s + num_steps].",
        "zh": "{function} 第 {batch} 个小批量中 Y 与 X 相同：Y 是目标，即 X 中每个词元的下一个词元，"
              "X[i] = corpus_indices[s : s + num_steps] 时 Y[i] = corpus_indices[s + 1 : s + num_steps + 1]。",
    },
    "lm.y_misaligned": {
        "en": "In minibatch {batch} from {function}, row {row} of Y is not row {row} of X "
              "shifted by one token: Y[i] must be corpus_indices[s + 1 : s + num_steps + 1] "
              "for X[i] = corpus_indices[s : s + num_steps].",
        "zh": "{function} 第 {batch} 个小批量中 Y 的第 {row} 行不是 X 的第 {row} 行右移一个词元："
              "X[i] = corpus_indices[s : s + num_steps] 时 Y[i] 必须是 "
              "corpus_indices[s + 1 : s + num_steps + 1]。",
    },
    "lm.ignores_device": {
        "en": "{function} put its tensors on {actual} although it was called with "
              "device={expected}: create them with device=device.",
        "zh": "{function} 被调用时传入了 device={expected}，但它把张量放在了 {actual} 上："
              "创建张量时请使用 device=device。",
    },
    "lm.default_device": {
        "en": "Called without a device, {function} put its tensors on {actual}, but "
              "device=None means {expected}: torch.device('cuda' if "
              "torch.cuda.is_available() else 'cpu').",
        "zh": "不传 device 调用时 {function} 把张量放在了 {actual} 上，但 device=None 的含义是 {expected}："
              "`torch.device('cuda' if torch.cuda.is_available() else 'cpu')`。",
    },
    "data_iter_random.off_grid": {
        "en": "data_iter_random yielded a window starting at corpus position {start}, which "
              "is not a multiple of num_steps = {num_steps}: the windows must not overlap, "
              "so they start at 0, num_steps, 2 * num_steps, ... "
              "(example_indices = [i * num_steps for i in range(num_examples)]).",
        "zh": "data_iter_random 给出了一个从语料位置 {start} 开始的窗口，它不是 num_steps = {num_steps} "
              "的倍数：窗口之间不能重叠，所以起点应为 0, num_steps, 2 * num_steps, ..."
              "（`example_indices = [i * num_steps for i in range(num_examples)]`）。",
    },
    "data_iter_random.repeated": {
        "en": "data_iter_random yielded the window starting at position {start} {times} "
              "times in one pass: each window must appear once per pass (shuffle the "
              "start positions, don't draw them with replacement).",
        "zh": "data_iter_random 在一轮中把从位置 {start} 开始的窗口给出了 {times} 次：每个窗口每轮只能出现一次"
              "（请打乱起点列表，而不是有放回地随机抽取）。",
    },
    "data_iter_random.missing": {
        "en": "data_iter_random left out {count} of the {total} windows (e.g. the one "
              "starting at position {start}): use num_examples = (len(corpus_indices) - 1) "
              "// num_steps windows and yield each once (only a short last minibatch may "
              "be dropped).",
        "zh": "data_iter_random 漏掉了 {total} 个窗口中的 {count} 个（例如从位置 {start} 开始的那个）："
              "窗口数应为 num_examples = (len(corpus_indices) - 1) // num_steps，每个都要给出一次"
              "（只有最后一个不满的小批量可以丢掉）。",
    },
    "data_iter_random.batch_size": {
        "en": "data_iter_random yielded a minibatch of {actual} windows where {expected} "
              "were expected: every minibatch but the last holds batch_size windows.",
        "zh": "data_iter_random 给出了含 {actual} 个窗口的小批量，应为 {expected} 个：除最后一个外，"
              "每个小批量都应有 batch_size 个窗口。",
    },
    "data_iter_random.past_end": {
        "en": "data_iter_random runs past the end of the corpus{where}: the last window has no "
              "target for its last token. The final token can only be a target, so there "
              "are num_examples = (len(corpus_indices) - 1) // num_steps windows, not "
              "len(corpus_indices) // num_steps.",
        "zh": "data_iter_random 越过了语料的末尾{where}：最后一个窗口的最后一个词元没有目标。最后一个词元只能作为目标，"
              "所以窗口数是 num_examples = (len(corpus_indices) - 1) // num_steps，"
              "而不是 len(corpus_indices) // num_steps。",
    },
    "data_iter_random.not_shuffled": {
        "en": "data_iter_random does not shuffle the windows: {adjacent} of {pairs} "
              "consecutive windows it yielded are also neighbours in the corpus. Shuffle "
              "the list of window starts (random.shuffle(example_indices)) before cutting "
              "it into minibatches.",
        "zh": "data_iter_random 没有打乱窗口：它给出的相邻窗口中有 {adjacent}/{pairs} 对在语料中也是相邻的。"
              "请在切分小批量之前打乱窗口起点列表（random.shuffle(example_indices)）。",
    },
    "data_iter_random.same_order": {
        "en": "data_iter_random yields the windows in the same order every time it is "
              "called: shuffle anew on each call (random.shuffle inside the function, "
              "without re-seeding it there).",
        "zh": "data_iter_random 每次被调用时给出的窗口顺序都一样：请在每次调用时重新打乱"
              "（在函数内部调用 random.shuffle，且不要在函数里重新设定随机种子）。",
    },
    "data_iter_consecutive.not_rows": {
        "en": "Row {row} of X in minibatch {batch} from data_iter_consecutive is not a run "
              "of consecutive tokens of the corpus: lay the kept corpus out as "
              "indices.view(batch_size, -1), so that row i is the i-th stretch of the "
              "corpus (view(-1, batch_size) and a transpose interleave the streams "
              "instead), and cut minibatches out of it column-wise, "
              "indices[:, i : i + num_steps].",
        "zh": "data_iter_consecutive 第 {batch} 个小批量中 X 的第 {row} 行不是语料中连续的词元："
              "请把保留的语料排成 indices.view(batch_size, -1)，使第 i 行是语料的第 i 段"
              "（view(-1, batch_size) 再转置会把各条序列交错在一起），再按列切出小批量："
              "indices[:, i : i + num_steps]。",
    },
    "data_iter_consecutive.not_continuous": {
        "en": "Row {row} of minibatch {batch} from data_iter_consecutive does not continue "
              "row {row} of minibatch {previous}: it starts at corpus position {actual}, "
              "where {expected} was expected. Lay the kept corpus out once as a "
              "(batch_size, -1) matrix (indices.view(batch_size, -1)) and yield its "
              "column windows in order, so that each row is one continuous stream.",
        "zh": "data_iter_consecutive 第 {batch} 个小批量的第 {row} 行没有接续第 {previous} 个小批量的"
              "第 {row} 行：它从语料位置 {actual} 开始，应从 {expected} 开始。请把保留的语料一次性排成 "
              "(batch_size, -1) 的矩阵（indices.view(batch_size, -1)），再按顺序取出列窗口，"
              "让每一行都是一条连续的序列。",
    },
    "data_iter_consecutive.layout": {
        "en": "Row {row} of the first minibatch from data_iter_consecutive starts at corpus "
              "position {actual}, where {expected} was expected: keep the first "
              "len(corpus_indices) // batch_size * batch_size tokens and lay them out as "
              "indices.view(batch_size, -1), so row i is the i-th of batch_size equal "
              "stretches of the corpus, and start at column 0.",
        "zh": "data_iter_consecutive 第一个小批量的第 {row} 行从语料位置 {actual} 开始，应从 {expected} 开始："
              "请保留前 len(corpus_indices) // batch_size * batch_size 个词元，排成 "
              "indices.view(batch_size, -1)，使第 i 行是语料等分成 batch_size 段中的第 i 段，"
              "并从第 0 列开始取。",
    },
    "data_iter_consecutive.batch_count": {
        "en": "data_iter_consecutive yielded {actual} minibatches, expected {expected}: "
              "with indices = corpus.view(batch_size, -1) there are "
              "(indices.shape[1] - 1) // num_steps of them (the last column can only be a "
              "target).",
        "zh": "data_iter_consecutive 给出了 {actual} 个小批量，应为 {expected} 个："
              "`indices = corpus.view(batch_size, -1)` 时共有 (indices.shape[1] - 1) // num_steps 个"
              "（最后一列只能作为目标）。",
    },
    "data_iter_consecutive.past_end": {
        "en": "data_iter_consecutive runs past the end of its rows: in the last minibatch "
              "Y has {actual} columns instead of num_steps = {expected}. The last column "
              "can only be a target: there are (indices.shape[1] - 1) // num_steps "
              "minibatches, not indices.shape[1] // num_steps.",
        "zh": "data_iter_consecutive 越过了行的末尾：最后一个小批量中 Y 只有 {actual} 列，而不是 "
              "num_steps = {expected} 列。最后一列只能作为目标：小批量个数是 "
              "(indices.shape[1] - 1) // num_steps，而不是 indices.shape[1] // num_steps。",
    },
    "data_iter_consecutive.truncate": {
        "en": "data_iter_consecutive cannot lay the corpus out as batch_size rows{where}: its "
              "length is not a multiple of batch_size. Keep only the first "
              "len(corpus_indices) // batch_size * batch_size tokens before "
              ".view(batch_size, -1).",
        "zh": "data_iter_consecutive 无法把语料排成 batch_size 行{where}：语料长度不是 batch_size 的倍数。"
              "请在 .view(batch_size, -1) 之前只保留前 len(corpus_indices) // batch_size * batch_size "
              "个词元。",
    },
    # -- concise implementation ------------------------------------------------------
    "linear_net.not_module": {
        "en": "LinearNet(n_feature) gave {actual}, not an nn.Module: LinearNet must be a "
              "class that subclasses nn.Module (class LinearNet(nn.Module): ...).",
        "zh": "LinearNet(n_feature) 得到的是 {actual}，而不是 nn.Module：LinearNet 必须是 nn.Module "
              "的子类（`class LinearNet(nn.Module): ...`）。",
    },
    "linear_net.no_super_init": {
        "en": "LinearNet.__init__ assigns a layer before calling super().__init__(){where}: "
              "nn.Module sets up the bookkeeping that registers submodules and "
              "parameters there, so call it first.",
        "zh": "LinearNet.__init__ 在调用 super().__init__() 之前就赋值了网络层{where}：nn.Module 在那里建立"
              "登记子模块和参数的机制，所以要先调用它。",
    },
    "linear_net.unregistered": {
        "en": "LinearNet keeps tensors or layers in {names}, which nn.Module does not "
              "register: they are missing from net.parameters() (the optimiser never "
              "updates them) and .to(device) does not move them. Assign the layer "
              "directly, self.linear = nn.Linear(n_feature, 1) (use nn.ModuleList, not a "
              "Python list, for several layers).",
        "zh": "LinearNet 把张量或网络层放在了 {names} 里，nn.Module 不会登记它们：它们不在 "
              "net.parameters() 中（优化器不会更新它们），.to(device) 也不会移动它们。请直接赋值 "
              "self.linear = nn.Linear(n_feature, 1)（多个层请用 nn.ModuleList，而不是 Python 列表）。",
    },
    "linear_net.no_linear": {
        "en": "LinearNet has no nn.Linear submodule named linear (its submodules: "
              "{found}): create it as self.linear = nn.Linear(n_feature, 1), so that its "
              "parameters are net.linear.weight and net.linear.bias.",
        "zh": "LinearNet 没有 nn.Linear 子模块 self.linear（它的子模块：{found}）：请写 "
              "self.linear = nn.Linear(n_feature, 1)，这样参数就是 net.linear.weight 和 net.linear.bias。",
    },
    "linear_net.extra": {
        "en": "LinearNet has parameters besides linear.weight and linear.bias: {names}. "
              "Linear regression needs a single nn.Linear(n_feature, 1) and nothing else.",
        "zh": "LinearNet 除了 linear.weight 和 linear.bias 之外还有其他参数：{names}。"
              "线性回归只需要一个 nn.Linear(n_feature, 1)。",
    },
    "linear_net.sizes": {
        "en": "LinearNet({n_feature}).linear has weight of shape {weight} and bias of "
              "shape {bias}; expected {expected_weight} and (1,). nn.Linear(in_features, "
              "out_features) stores its weight as (out_features, in_features): one output "
              "from n_feature inputs is nn.Linear(n_feature, 1).",
        "zh": "LinearNet({n_feature}).linear 的权重形状为 {weight}，偏置形状为 {bias}；应为 "
              "{expected_weight} 和 (1,)。nn.Linear(in_features, out_features) 的权重形状是 "
              "(out_features, in_features)：由 n_feature 个输入得到一个输出，就是 nn.Linear(n_feature, 1)。",
    },
    "linear_net.no_bias": {
        "en": "LinearNet.linear has no bias: linear regression is x w + b, so keep "
              "nn.Linear's bias (don't pass bias=False).",
        "zh": "LinearNet.linear 没有偏置：线性回归是 x w + b，请保留 nn.Linear 的偏置（不要传 bias=False）。",
    },
    "linear_net.forward_shape": {
        "en": "net(x) has shape {actual} for x of shape {x_shape}; expected {expected}: "
              "return self.linear(x) as it is, one prediction per row in a column "
              "(don't squeeze, flatten or transpose it).",
        "zh": "x 的形状为 {x_shape} 时 net(x) 的形状是 {actual}，应为 {expected}："
              "请直接返回 self.linear(x)，每行一个预测、排成一列（不要调用 squeeze()、flatten() 或转置）。",
    },
    # -- describing values, naming what is checked, placement, more diagnoses ---------
    # Pieces of messages (messages.Phrase): what a value is, in the learner's terms.
    "value.none": {"en": "None", "zh": "None"},
    "value.bool": {"en": "a bool ({value})", "zh": "布尔值 {value}"},
    "value.int": {"en": "an int ({value})", "zh": "整数 {value}"},
    "value.float": {"en": "a float ({value})", "zh": "浮点数 {value}"},
    "value.str": {"en": "a str ({value})", "zh": "字符串 {value}"},
    "value.tensor": {"en": "a tensor of shape {shape}", "zh": "形状为 {shape} 的张量"},
    "value.tensor_subclass": {
        "en": "a {type_name} (a subclass of torch.Tensor)",
        "zh": "{type_name}（torch.Tensor 的子类）",
    },
    "value.numpy": {"en": "a NumPy array", "zh": "NumPy 数组"},
    "value.object": {"en": "an object of type {type_name}", "zh": "{type_name} 类型的对象"},
    "value.dtype": {"en": "the dtype {value}", "zh": "数据类型 {value}"},
    "value.device": {"en": "the device {value}", "zh": "设备 {value}"},
    "value.dict": {"en": "a dict of {count} entries", "zh": "含 {count} 个条目的字典"},
    "value.tuple_empty": {"en": "an empty tuple", "zh": "空元组"},
    "value.list_empty": {"en": "an empty list", "zh": "空列表"},
    "value.generator_empty": {"en": "a generator that yielded nothing", "zh": "什么也没有产出的生成器"},
    "value.tuple_one": {"en": "a tuple holding one item, {item}", "zh": "只含一个元素的元组（{item}）"},
    "value.list_one": {"en": "a list holding one item, {item}", "zh": "只含一个元素的列表（{item}）"},
    "value.generator_one": {"en": "a generator that yielded one item, {item}",
                            "zh": "只产出一个元素的生成器（{item}）"},
    "value.tuple_of": {"en": "a tuple of {count} {items}", "zh": "由 {count} 个{items}组成的元组"},
    "value.list_of": {"en": "a list of {count} {items}", "zh": "由 {count} 个{items}组成的列表"},
    "value.generator_of": {"en": "a generator that yielded {count} {items}",
                           "zh": "产出了 {count} 个{items}的生成器"},
    "value.tuple_mixed": {"en": "a tuple of {count} items ({items})",
                          "zh": "含 {count} 个元素的元组（{items}）"},
    "value.list_mixed": {"en": "a list of {count} items ({items})",
                         "zh": "含 {count} 个元素的列表（{items}）"},
    "value.generator_mixed": {"en": "a generator that yielded {count} items ({items})",
                              "zh": "产出了 {count} 个元素的生成器（{items}）"},
    "value.and": {"en": "{first}, {rest}", "zh": "{first}、{rest}"},
    "value.and_more": {"en": "{first}, ...", "zh": "{first}……"},
    # The same kinds in the plural, for containers that hold only one kind.
    "values.none": {"en": "None values", "zh": "None"},
    "values.bool": {"en": "bools", "zh": "布尔值"},
    "values.int": {"en": "ints", "zh": "整数"},
    "values.float": {"en": "floats", "zh": "浮点数"},
    "values.str": {"en": "strs", "zh": "字符串"},
    "values.tensor": {"en": "tensors", "zh": "张量"},
    "values.tensor_subclass": {"en": "tensors of the subclass {type_name}",
                               "zh": "{type_name} 子类的张量"},
    "values.numpy": {"en": "NumPy arrays", "zh": "NumPy 数组"},
    "values.object": {"en": "objects of type {type_name}", "zh": "{type_name} 类型的对象"},
    "values.dtype": {"en": "dtypes", "zh": "数据类型"},
    "values.device": {"en": "devices", "zh": "设备"},
    "values.dict": {"en": "dicts", "zh": "字典"},
    "values.tuple": {"en": "tuples", "zh": "元组"},
    "values.list": {"en": "lists", "zh": "列表"},
    "values.generator": {"en": "generators", "zh": "生成器"},
    # What a check looked at ({what} in the messages above).
    "what.code": {"en": "{code}", "zh": "{code}"},
    "what.return_value": {"en": "The return value", "zh": "返回值"},
    "what.module": {"en": "The module", "zh": "该模块"},
    "what.gradient": {"en": "The gradient of {function} (X.grad)",
                      "zh": "{function} 的梯度（X.grad）"},
    "what.updated_parameter": {"en": "The updated parameter", "zh": "更新后的参数"},
    "what.after_epoch": {"en": "{name} after one epoch", "zh": "训练一轮后的 {name}"},
    "what.minibatch": {"en": "{name} of a minibatch", "zh": "小批量中的 {name}"},
    "what.of_minibatch": {"en": "{name} of minibatch {batch}", "zh": "第 {batch} 个小批量的 {name}"},
    "what.returned_tensor": {"en": "A tensor that {function} returned",
                             "zh": "{function} 返回的张量"},
    "what.yielded_tensor": {"en": "A tensor that {function} yielded",
                            "zh": "{function} 产出的张量"},
    # What a return value should have been ({expected} of wrong_type).
    "expected.tensor": {"en": "a torch.Tensor", "zh": "torch.Tensor"},
    "expected.float": {"en": "a Python float", "zh": "Python 的 float"},
    "expected.minibatches": {"en": "a generator of {pair} minibatches",
                             "zh": "产出 {pair} 小批量的生成器"},
    "found.none": {"en": "none", "zh": "无"},
    "not_pairs.numpy": {
        "en": "{function} should yield {pair} pairs of tensors, but it yielded {actual}: "
              "NumPy arrays are not tensors. Keep X and Y torch tensors: index the tensors "
              "you were given, or build them with torch.tensor(..., device=device) "
              "(torch.from_numpy(array) converts an array you already have).",
        "zh": "{function} 应当产出 {pair} 张量对，但它产出了 {actual}：NumPy 数组不是张量。"
              "X 和 Y 必须是 torch 张量：直接对传入的张量做索引，或者用 "
              "torch.tensor(..., device=device) 创建（已有的数组可以用 torch.from_numpy(array) 转换）。",
    },
    # A placement test (on the GPU, or on the simulated one) checks where the results are,
    # and earns its points only where the values are right too.
    "placement.no_tensor": {
        "en": "No tensor came back from {function} ({actual}), so where it puts its results "
              "cannot be checked here: the tests on the cpu say what is wrong.",
        "zh": "{function} 没有给出任何张量（{actual}），因此这里无法检查结果放在哪个设备上："
              "请看 cpu 上的测试指出的问题。",
    },
    "device.numpy": {
        "en": "{function} turns a tensor that is not on the CPU into a NumPy array{where}: "
              "NumPy arrays live in CPU memory only, so this fails wherever the data is on "
              "another device (a GPU). Keep torch tensors, which work on every device.",
        "zh": "{function} 把不在 CPU 上的张量转换成了 NumPy 数组{where}：NumPy 数组只能存放在 CPU "
              "内存中，所以数据在其他设备（GPU）上时这样做会出错。请保持使用 torch 张量，它在任何设备上都能用。",
    },
    "placement.wrong_values": {
        "en": "{function} keeps its results on the inputs' device, but their values are "
              "wrong, and placement earns its points only with right values: the tests on "
              "the cpu say what is wrong.",
        "zh": "{function} 把结果放在了输入所在的设备上，但数值不对，而设备位置的分数只在数值正确时才给："
              "请看 cpu 上的测试指出的问题。",
    },
    "accuracy.floor_division": {
        "en": "accuracy returned {actual:g} where {expected:g} of the predictions are right: "
              "`//` is floor division, which rounds the fraction down to 0 unless every "
              "prediction is right. Divide with `/`, or take the mean of the comparison: "
              "(y_hat.argmax(dim=1) == y).float().mean().item().",
        "zh": "accuracy 返回了 {actual:g}，而正确的预测比例是 {expected:g}：`//` 是向下取整的除法，"
              "除非全部预测正确，否则比例都会被取整为 0。请用 `/` 做除法，或者对比较结果取平均："
              "(y_hat.argmax(dim=1) == y).float().mean().item()。",
    },
    "cross_entropy.double_softmax": {
        "en": "cross_entropy treats y_hat as logits: F.cross_entropy (like "
              "nn.CrossEntropyLoss) applies log_softmax to its input first, and y_hat are "
              "already probabilities, so this takes a second softmax. Pick the true class's "
              "probability and take its log: -torch.log(y_hat[range(len(y_hat)), y]) (or "
              "F.nll_loss(torch.log(y_hat), y, reduction='none')).",
        "zh": "cross_entropy 把 y_hat 当成了 logits：F.cross_entropy（和 nn.CrossEntropyLoss 一样）"
              "会先对输入做 log_softmax，而 y_hat 已经是概率，这样就又做了一次 softmax。"
              "请取出真实类别的概率再取对数：-torch.log(y_hat[range(len(y_hat)), y])"
              "（或 F.nll_loss(torch.log(y_hat), y, reduction='none')）。",
    },
    "activation.zero_gradient_at_zero": {
        "en": "{function}'s gradient at x = 0 is 0, but the true derivative there is "
              "{derivative} (with the upstream gradient {upstream:.6g}, X.grad should be "
              "{expected:.6g}). In PyTorch sign(x) has gradient 0 everywhere, and |x| "
              "(abs()) has gradient 0 at x = 0, so a formula built on them, such as "
              "sign(x) * {function}(|x|), passes no gradient at x = 0. {remedy}",
        "zh": "{function} 在 x = 0 处的梯度是 0，但那里真正的导数是 {derivative}"
              "（上游梯度为 {upstream:.6g}，所以 X.grad 应为 {expected:.6g}）。在 PyTorch 中 sign(x) "
              "的梯度处处为 0，|x|（abs()）在 x = 0 处的梯度也是 0，所以基于它们的写法，例如 "
              "sign(x) * {function}(|x|)，在 x = 0 处传不回任何梯度。{remedy}",
    },
    "zero_gradient.tanh": {
        "en": "Compute n = -|x| as torch.where(x >= 0, -x, x) (its gradient is never 0), "
              "e = exp(2 * n) and t = (1 - e) / (1 + e), which is tanh(|x|), then restore "
              "the sign with torch.where(x >= 0, t, -t).",
        "zh": "请用 n = torch.where(x >= 0, -x, x) 计算 -|x|（它的梯度从不为 0），令 e = exp(2 * n)、"
              "t = (1 - e) / (1 + e)，即 tanh(|x|)，再用 torch.where(x >= 0, t, -t) 恢复符号。",
    },
    "zero_gradient.sigmoid": {
        "en": "Compute -|x| as torch.where(x >= 0, -x, x) (its gradient is never 0), "
              "z = exp(-|x|), then torch.where(x >= 0, 1 / (1 + z), z / (1 + z)).",
        "zh": "请用 torch.where(x >= 0, -x, x) 计算 -|x|（它的梯度从不为 0），令 z = exp(-|x|)，"
              "再取 torch.where(x >= 0, 1 / (1 + z), z / (1 + z))。",
    },
    # -- test names: test.<module>.<test function>; en is the test's docstring --------
    "test.activations.test_relu_values": {
        "en": "relu keeps positive entries and zeroes negative ones, for any shape",
        "zh": "relu 保留正数、把负数置零，适用于任意形状",
    },
    "test.activations.test_relu_gradient": {
        "en": "relu passes the gradient through where x > 0 and blocks it where x < 0",
        "zh": "relu 在 x > 0 处传递梯度，在 x < 0 处阻断梯度",
    },
    "test.activations.test_relu_not_builtin": {
        "en": "relu is written from elementary operations, not PyTorch's built-in",
        "zh": "relu 由基本运算写成，而不是调用 PyTorch 自带的实现",
    },
    "test.activations.test_relu_stays_on_device": {
        "en": "relu keeps its right result on the input's device",
        "zh": "relu 的正确结果留在输入所在的设备上",
    },
    "test.activations.test_sigmoid_values": {
        "en": "sigmoid computes 1 / (1 + exp(-x)) for any shape",
        "zh": "sigmoid 对任意形状计算 1 / (1 + exp(-x))",
    },
    "test.activations.test_sigmoid_gradient": {
        "en": "sigmoid's gradient is sigmoid(x) * (1 - sigmoid(x))",
        "zh": "sigmoid 的梯度是 sigmoid(x) * (1 - sigmoid(x))",
    },
    "test.activations.test_sigmoid_stable": {
        "en": "sigmoid and its gradient stay finite for large |x|",
        "zh": "|x| 很大时 sigmoid 及其梯度仍是有限值",
    },
    "test.activations.test_sigmoid_not_builtin": {
        "en": "sigmoid is written from elementary operations, not PyTorch's built-in",
        "zh": "sigmoid 由基本运算写成，而不是调用 PyTorch 自带的实现",
    },
    "test.activations.test_sigmoid_stays_on_device": {
        "en": "sigmoid keeps its right result on the input's device",
        "zh": "sigmoid 的正确结果留在输入所在的设备上",
    },
    "test.activations.test_tanh_values": {
        "en": "tanh computes (1 - exp(-2x)) / (1 + exp(-2x)) for any shape",
        "zh": "tanh 对任意形状计算 (1 - exp(-2x)) / (1 + exp(-2x))",
    },
    "test.activations.test_tanh_gradient": {
        "en": "tanh's gradient is 1 - tanh(x) ** 2",
        "zh": "tanh 的梯度是 1 - tanh(x) ** 2",
    },
    "test.activations.test_tanh_stable": {
        "en": "tanh and its gradient stay finite for large |x|",
        "zh": "|x| 很大时 tanh 及其梯度仍是有限值",
    },
    "test.activations.test_tanh_not_builtin": {
        "en": "tanh is written from elementary operations, not PyTorch's built-in",
        "zh": "tanh 由基本运算写成，而不是调用 PyTorch 自带的实现",
    },
    "test.activations.test_tanh_stays_on_device": {
        "en": "tanh keeps its right result on the input's device",
        "zh": "tanh 的正确结果留在输入所在的设备上",
    },
    "test.concise.test_linear_net_structure": {
        "en": "LinearNet(n_feature) holds one nn.Linear(n_feature, 1) named linear",
        "zh": "LinearNet(n_feature) 含有一个 nn.Linear(n_feature, 1)，即 self.linear",
    },
    "test.concise.test_linear_net_forward": {
        "en": "net(x) is x @ linear.weight.T + linear.bias, of shape (n, 1)",
        "zh": "net(x) 等于 x @ linear.weight.T + linear.bias，形状为 (n, 1)",
    },
    "test.concise.test_linear_net_stays_on_device": {
        "en": "LinearNet moved to the input's device gives its right output there",
        "zh": "LinearNet 移到输入所在设备后，正确的输出也在该设备上",
    },
    "test.language_model.test_data_iter_random_windows": {
        "en": "data_iter_random yields every non-overlapping window once, with Y shifted by one",
        "zh": "data_iter_random 恰好给出每个不重叠窗口一次，Y 错开一个词元",
    },
    "test.language_model.test_data_iter_random_corpus_end": {
        "en": "data_iter_random stops before the end of a corpus whose length is a multiple of num_steps",
        "zh": "语料长度是 num_steps 的倍数时，data_iter_random 不越过语料末尾",
    },
    "test.language_model.test_data_iter_random_shuffles": {
        "en": "data_iter_random yields the windows in a fresh random order on every call",
        "zh": "data_iter_random 每次调用都以新的随机顺序给出窗口",
    },
    "test.language_model.test_data_iter_random_device": {
        "en": "data_iter_random puts the right X and Y on the device it is given",
        "zh": "data_iter_random 把正确的 X 和 Y 放到给定的设备上",
    },
    "test.language_model.test_data_iter_random_default_device": {
        "en": "data_iter_random without a device puts right X and Y on the GPU, else the CPU",
        "zh": "不指定设备时，data_iter_random 把正确的 X 和 Y 放到 GPU 上（没有 GPU 时放到 CPU 上）",
    },
    "test.language_model.test_data_iter_consecutive_streams": {
        "en": "data_iter_consecutive continues each row from one minibatch to the next",
        "zh": "data_iter_consecutive 的每一行在相邻小批量之间首尾相接",
    },
    "test.language_model.test_data_iter_consecutive_row_end": {
        "en": "data_iter_consecutive stops before the last column of its rows",
        "zh": "data_iter_consecutive 在各行最后一列之前停止",
    },
    "test.language_model.test_data_iter_consecutive_device": {
        "en": "data_iter_consecutive puts the right X and Y on the device it is given",
        "zh": "data_iter_consecutive 把正确的 X 和 Y 放到给定的设备上",
    },
    "test.language_model.test_data_iter_consecutive_default_device": {
        "en": "data_iter_consecutive without a device puts right X and Y on the GPU, else the CPU",
        "zh": "不指定设备时，data_iter_consecutive 把正确的 X 和 Y 放到 GPU 上（没有 GPU 时放到 CPU 上）",
    },
    "test.linear_regression.test_linreg_values": {
        "en": "linreg computes X @ w + b with shape (n, 1)",
        "zh": "linreg 计算 X @ w + b，形状为 (n, 1)",
    },
    "test.linear_regression.test_linreg_stays_on_device": {
        "en": "linreg keeps its right result on the inputs' device",
        "zh": "linreg 的正确结果留在输入所在的设备上",
    },
    "test.linear_regression.test_squared_loss_values": {
        "en": "squared_loss gives (y_hat - y) ** 2 / 2 for each example",
        "zh": "squared_loss 对每个样本给出 (y_hat - y) ** 2 / 2",
    },
    "test.linear_regression.test_squared_loss_reshapes_labels": {
        "en": "squared_loss reshapes labels of shape (n,) to y_hat's shape (n, 1)",
        "zh": "squared_loss 把形状为 (n,) 的标签变形为 y_hat 的形状 (n, 1)",
    },
    "test.linear_regression.test_squared_loss_stays_on_device": {
        "en": "squared_loss keeps its right result on the inputs' device",
        "zh": "squared_loss 的正确结果留在输入所在的设备上",
    },
    "test.linear_regression.test_sgd_step": {
        "en": "sgd updates each parameter in place by lr * grad / batch_size",
        "zh": "sgd 按 lr * grad / batch_size 原地更新每个参数",
    },
    "test.linear_regression.test_train_epoch": {
        "en": "train_epoch sums the loss, backpropagates, updates and zeroes the gradients per batch",
        "zh": "train_epoch 对每个小批量求和损失、反向传播、更新并清零梯度",
    },
    "test.linear_regression.test_data_iter_covers_every_example": {
        "en": "data_iter yields every example exactly once, in batches of batch_size",
        "zh": "data_iter 以 batch_size 为批恰好给出每个样本一次",
    },
    "test.linear_regression.test_data_iter_keeps_short_last_batch": {
        "en": "data_iter keeps the short last batch",
        "zh": "data_iter 保留最后那个不满的小批量",
    },
    "test.linear_regression.test_data_iter_shuffles": {
        "en": "data_iter reads the examples in a fresh random order each epoch",
        "zh": "data_iter 每个轮次都以新的随机顺序读取样本",
    },
    "test.linear_regression.test_data_iter_stays_on_device": {
        "en": "data_iter yields the right minibatches on the data's device",
        "zh": "data_iter 给出的正确小批量在数据所在的设备上",
    },
    "test.softmax_regression.test_softmax_values": {
        "en": "softmax turns each row of logits into probabilities that sum to 1",
        "zh": "softmax 把每行 logits 变成和为 1 的概率",
    },
    "test.softmax_regression.test_softmax_square": {
        "en": "softmax normalises rows, also when there are as many rows as classes",
        "zh": "行数与类别数相同时，softmax 仍按行归一化",
    },
    "test.softmax_regression.test_softmax_stable": {
        "en": "softmax stays finite and correct for logits around +-1000",
        "zh": "logits 约为 ±1000 时 softmax 仍有限且正确",
    },
    "test.softmax_regression.test_softmax_stays_on_device": {
        "en": "softmax keeps its right result on the input's device",
        "zh": "softmax 的正确结果留在输入所在的设备上",
    },
    "test.softmax_regression.test_cross_entropy_values": {
        "en": "cross_entropy gives -log(y_hat[i, y[i]]) for each example",
        "zh": "cross_entropy 对每个样本给出 -log(y_hat[i, y[i]])",
    },
    "test.softmax_regression.test_cross_entropy_zero_elsewhere": {
        "en": "cross_entropy stays finite where only a wrong class has probability 0",
        "zh": "只有错误类别的概率为 0 时，cross_entropy 仍是有限值",
    },
    "test.softmax_regression.test_cross_entropy_zero_true_class": {
        "en": "cross_entropy is inf where the true class has probability 0",
        "zh": "真实类别的概率为 0 时，cross_entropy 为 inf",
    },
    "test.softmax_regression.test_cross_entropy_stays_on_device": {
        "en": "cross_entropy keeps its right result on the inputs' device",
        "zh": "cross_entropy 的正确结果留在输入所在的设备上",
    },
    "test.softmax_regression.test_accuracy_values": {
        "en": "accuracy is the fraction of rows whose argmax is the label",
        "zh": "accuracy 是 argmax 等于标签的行所占的比例",
    },
    "test.softmax_regression.test_accuracy_square": {
        "en": "accuracy compares each row's argmax with its label, also when n == q",
        "zh": "n == q 时 accuracy 仍逐行比较 argmax 与标签",
    },
    "test.softmax_regression.test_accuracy_returns_float": {
        "en": "accuracy returns a Python float",
        "zh": "accuracy 返回 Python float",
    },
    # -- the sandbox: what a worker's code may print, use and see ----------------------
    "sandbox.level_full": {
        "en": "Isolation ({mode}): {layers}.",
        "zh": "隔离（`{mode}`）：{layers}。",
    },
    "sandbox.level_partial": {
        "en": "Isolation ({mode}): {layers}; missing: {missing}.",
        "zh": "隔离（`{mode}`）：{layers}；缺少：{missing}。",
    },
    "sandbox.level_off": {
        "en": "Isolation (off): the code ran with the grader's permissions, network and files.",
        "zh": "隔离（`off`）：代码以评分器的权限运行，可访问网络和文件。",
    },
    "sandbox.separator": {"en": ", ", "zh": "、"},
    "sandbox.missing_layer": {"en": "{layer} ({reason})", "zh": "{layer}（{reason}）"},
    "sandbox.layer.user_root": {"en": "an unprivileged user", "zh": "无特权用户"},
    "sandbox.layer.user_namespace": {"en": "a user namespace without privileges",
                                     "zh": "无特权的用户命名空间"},
    "sandbox.layer.mount": {"en": "a read-only file system without the grader's files",
                            "zh": "看不到评分器文件的只读文件系统"},
    "sandbox.layer.pid": {"en": "a process namespace", "zh": "独立的进程命名空间"},
    "sandbox.layer.net": {"en": "no network", "zh": "无网络"},
    "sandbox.refused": {
        "en": "grade: --sandbox strict: this machine cannot give the code \"{layer}\" "
              "({reason}); nothing was graded.",
        "zh": "`grade`：`--sandbox strict`：这台机器无法为代码提供“{layer}”（{reason}），未进行评分。",
    },
    "sandbox.refused_root": {
        "en": "grade: run as root, this machine cannot give the code \"{layer}\" ({reason}), "
              "and student code never runs as root; nothing was graded. Install Python where "
              "any user may enter its folders, or grade as an ordinary user.",
        "zh": "`grade`：以 `root` 身份运行时，这台机器无法为代码提供“{layer}”（{reason}），"
              "而学生代码绝不以 `root` 身份运行，因此未进行评分。请把 `Python` 安装在任何用户都能进入的"
              "目录中，或以普通用户身份评分。",
    },
    "sandbox.refused_lost": {
        "en": "grade: this machine gives the code \"{layer}\", but could not set it up this "
              "time ({reason}); nothing was graded. Grade again.",
        "zh": "`grade`：这台机器能为代码提供“{layer}”，但这次未能建立（{reason}），未进行评分。"
              "请重新评分。",
    },
    # A submission whose own files break a limit of the sandbox: none of it runs.
    "sandbox.staging.files": {
        "en": "Not graded: your submission's files do not fit in the sandbox, whose /tmp "
              "holds at most {limit} files and folders.",
        "zh": "未评分：你提交的文件放不进沙箱，沙箱的 `/tmp` 最多只能容纳 {limit} 个文件和文件夹。",
    },
    "sandbox.staging.size": {
        "en": "Not graded: your submission's files do not fit in the sandbox, whose /tmp "
              "holds at most {limit}.",
        "zh": "未评分：你提交的文件放不进沙箱，沙箱的 `/tmp` 最多只能容纳 {limit}。",
    },
    "sandbox.staging.name": {
        "en": "Not graded: a file or folder name in your submission is too long for the "
              "sandbox.",
        "zh": "未评分：你提交的内容中有文件名或文件夹名太长，沙箱无法容纳。",
    },
    "sandbox.staging.other": {
        "en": "Not graded: your submission's files could not be placed in the sandbox "
              "({limit}).",
        "zh": "未评分：你提交的文件无法放入沙箱（{limit}）。",
    },
    "limit.memory": {
        "en": "{function} ran out of memory{where}: your code, with every process it starts, "
              "may use at most {limit}.",
        "zh": "{function} 内存不足{where}：你的代码连同它启动的所有进程最多只能使用 {limit}。",
    },
    "limit.file_size": {
        "en": "{function} tried to write a file larger than {limit}, the limit for one file{where}.",
        "zh": "{function} 试图写入大于 {limit} 的文件（单个文件的上限）{where}。",
    },
    "limit.files": {
        "en": "{function} tried to open more than {limit} files at once{where}.",
        "zh": "{function} 试图同时打开超过 {limit} 个文件{where}。",
    },
    "limit.disk": {
        "en": "{function} tried to use more than {limit} of disk space{where}.",
        "zh": "{function} 试图使用超过 {limit} 的磁盘空间{where}。",
    },
    "limit.processes": {
        "en": "{function} tried to start more than {limit} processes and threads{where}.",
        "zh": "{function} 试图启动超过 {limit} 个进程和线程{where}。",
    },
    "ending_limit.memory": {
        "en": "was stopped because your code, with the processes it started, used more than "
              "{limit} of memory",
        "zh": "被终止，因为你的代码连同它启动的进程使用了超过 {limit} 的内存",
    },
    "output_cut": {
        "en": "... (output cut at {limit}: the rest was not kept)",
        "zh": "……（输出在 {limit} 处截断，其余部分未保留）",
    },
    # -- the feedback page (grade --html) ------------------------------------------------
    "feedback.title": {"en": "Feedback on your submission", "zh": "作业反馈"},
    "feedback.scores": {"en": "Scores", "zh": "得分表"},
    "feedback.function": {"en": "function", "zh": "函数"},
    "feedback.what_to_fix": {"en": "What to fix", "zh": "需要修改的地方"},
    "feedback.all_passed": {"en": "Every check passed.", "zh": "所有检查都通过了。"},
    "feedback.printed": {"en": "What your code printed", "zh": "你的代码输出的内容"},
    "feedback.pictures": {"en": "Pictures", "zh": "图示"},
    "feedback.legend": {
        "en": "In every picture: {yours} yours, {book} the book's, {bad} NaN or inf.",
        "zh": "所有图中：{yours} 是你的结果，{book} 是书中的结果，{bad} 表示 NaN 或 inf。",
    },
    "feedback.yours": {"en": "Yours", "zh": "你的结果"},
    "feedback.book": {"en": "The book's", "zh": "书中的结果"},
    "feedback.no_matplotlib": {
        "en": "The pictures need matplotlib, which is not installed. Install it with "
              "pip install \"d2l-autograder[report]\" (or pip install matplotlib) and run "
              "grade with --html again.",
        "zh": "绘图需要 matplotlib，但它没有安装。请用 `pip install \"d2l-autograder[report]\"`"
              "（或 `pip install matplotlib`）安装，然后再次运行 `grade ... --html`。",
    },
    "feedback.no_picture_data": {
        "en": "No pictures were collected in this run: grade with --html (in Python, "
              "grade(..., pictures=True)) to draw them.",
        "zh": "本次运行没有收集绘图数据：请用 `grade ... --html` 运行（在 Python 中为 "
              "grade(..., pictures=True)）。",
    },
    "feedback.no_plot": {"en": "Nothing to draw for {name}:", "zh": "{name} 无法绘图："},
    "feedback.not_drawable": {
        "en": "{function} did not give a floating-point tensor of the expected shape, so "
              "there is nothing to draw.",
        "zh": "{function} 没有给出预期形状的浮点张量，因此无法绘图。",
    },
    "feedback.no_gradient": {
        "en": "No gradient of {function} reached its input (is the result connected to the "
              "autograd graph of X?): only the values are drawn.",
        "zh": "{function} 的梯度没有传回输入（结果是否与 X 的计算图相连？）：只画出了函数值。",
    },
    "feedback.nonfinite": {
        "en": "{function} gives NaN or inf at {count} of {total} points (the red crosses).",
        "zh": "{function} 在 {total} 个点中有 {count} 个为 NaN 或 inf（红色叉号处）。",
    },
    "feedback.activations.heading": {"en": "Activation functions", "zh": "激活函数"},
    "feedback.activations.intro": {
        "en": "Each function on [-8, 8], as the book draws it: on the left its values, on "
              "the right its gradient. Where your curve leaves the book's, your function "
              "differs there.",
        "zh": "每个函数在 [-8, 8] 上的图像，画法与书中相同：左图是函数值，右图是梯度。"
              "你的曲线偏离书中曲线的地方，就是你的函数出错的地方。",
    },
    "feedback.linear_regression.heading": {
        "en": "Linear regression: the training loss", "zh": "线性回归：训练损失"},
    "feedback.linear_regression.intro": {
        "en": "{epochs} epochs of your train_epoch with your data_iter, linreg, squared_loss "
              "and sgd on the book's synthetic data (true_w = [2, -3.4], true_b = 4.2, "
              "{examples} examples, lr = {lr:g}, batch_size = {batch_size}). The curve is the "
              "mean loss on the whole data set after each update, on a logarithmic scale; the "
              "horizontal axis counts epochs. A curve that climbs or stays flat is a loop that "
              "does not learn: zero the gradients after each update, and divide the step by "
              "batch_size.",
        "zh": "用你的 train_epoch，以及你的 data_iter、linreg、squared_loss 和 sgd，在书中的"
              "合成数据上训练 {epochs} 个轮次（true_w = [2, -3.4]，true_b = 4.2，"
              "{examples} 个样本，lr = {lr:g}，batch_size = {batch_size}）。曲线是每次更新后"
              "整个数据集上的平均损失，纵轴为对数刻度，横轴为轮次。曲线上升或停滞不降，"
              "说明训练循环没有在学习：每次更新后要清零梯度，步长要除以 batch_size。",
    },
    "feedback.linear_regression.trusted": {
        "en": "{functions} failed a test, so the curve uses the book's version instead: it "
              "shows your train_epoch alone.",
        "zh": "{functions} 没有通过测试，因此曲线改用书中的版本：它只反映你的 train_epoch。",
    },
    "feedback.no_updates": {
        "en": "train_epoch never called the updater: the parameters never changed.",
        "zh": "train_epoch 从未调用 updater：参数一直没有变化。",
    },
    "feedback.softmax.heading": {"en": "Softmax: the probabilities of each row",
                                 "zh": "softmax：每一行的概率"},
    "feedback.softmax.intro": {
        "en": "For each row of logits, your probability of each class (left bar) beside the "
              "book's (right bar). Each row must sum to 1.",
        "zh": "对每一行 logits，左边的柱是你算出的各类别概率，右边的柱是书中的结果。每行之和应为 1。",
    },
    "feedback.softmax.small": {"en": "A small batch of ordinary logits.",
                               "zh": "一小批普通大小的 logits。"},
    "feedback.softmax.large": {
        "en": "Logits around +1000 (row 0) and -1000 (row 1): exp overflows to inf, or "
              "underflows to 0, unless the row's largest logit is subtracted first.",
        "zh": "约为 +1000（第 0 行）和 -1000（第 1 行）的 logits：除非先减去每行 logits 的最大值，"
              "否则 exp 会上溢为 inf 或下溢为 0。",
    },
    "feedback.samplers.heading": {"en": "Language model: the two samplers",
                                  "zh": "语言模型：两种采样方法"},
    "feedback.samplers.intro": {
        "en": "The corpus is the tokens 0 to {last}, with batch_size = {batch_size} and "
              "num_steps = {num_steps}. Each line is one row of one of the first {batches} "
              "minibatches (the minibatch's number, in its colour, then the row's): the "
              "filled cells are X, the bar beneath marks Y, which is X shifted by one token.",
        "zh": "语料是词元 0 到 {last}，batch_size = {batch_size}，num_steps = {num_steps}。"
              "每一行是前 {batches} 个小批量之一中的一行（左边先是小批量的序号，颜色与该小批量相同，"
              "然后是行号）：实心格是 X，下方的横条标出 Y，即 X 向后移动一个词元。",
    },
    "feedback.samplers.data_iter_random": {
        "en": "data_iter_random: the windows never overlap, and their order is shuffled, so "
              "yours need not come in the book's order.",
        "zh": "data_iter_random：各个窗口互不重叠，顺序是随机打乱的，所以你的顺序不必与书中相同。",
    },
    "feedback.samplers.data_iter_consecutive": {
        "en": "data_iter_consecutive: row i of the second minibatch continues row i of the "
              "first.",
        "zh": "data_iter_consecutive：第二个小批量的第 i 行紧接着第一个小批量的第 i 行。",
    },
    "feedback.samplers.overlap": {
        "en": "The windows of {function} overlap: the cells framed in red are in more than "
              "one window.",
        "zh": "{function} 的窗口相互重叠：红框中的词元出现在不止一个窗口里。",
    },
    "feedback.too_few_batches": {
        "en": "{function} yielded {count} minibatches; the picture needs {expected}.",
        "zh": "{function} 只给出了 {count} 个小批量；绘图需要 {expected} 个。",
    },
    "feedback.cut.snapshots": {
        "en": "The picture of {function} was cut: it updated the parameters {count} times, "
              "and only the first {kept} updates are drawn.",
        "zh": "{function} 的图已截断：它更新了 {count} 次参数，只画出了前 {kept} 次更新。",
    },
    "feedback.cut.text": {
        "en": "[cut here: the page shows at most {limit} characters of each text your code "
              "printed or raised, and {total} in all]",
        "zh": "［此处截断：本页对你的代码输出或抛出的每段文字最多显示 {limit} 个字符，"
              "总共最多 {total} 个］",
    },
    "feedback.cut.batches": {
        "en": "The picture of {function} was cut: it yielded minibatches of up to {rows} "
              "rows of {tokens} tokens, and only the first {max_rows} rows of {max_tokens} "
              "tokens are drawn.",
        "zh": "{function} 的图已截断：它给出的小批量多达 {rows} 行、每行 {tokens} 个词元，"
              "只画出了前 {max_rows} 行、每行前 {max_tokens} 个词元。",
    },
}


# -- course: the nbgrader course's notebooks and test cells (autograder.course) ---------
# The English of a contract is the stub's own docstring (assignments/<module>.py), so
# that entry's "en" only says where it is. The formulas of the notes are parameters,
# written once in autograder/course.py for both languages.


def _stub_docstring(module: str, name: str, zh: str) -> dict[str, str]:
    return {"en": f"(the docstring of {name} in assignments/{module}.py)", "zh": zh}


COURSE: dict[str, dict[str, str]] = {
    "cell_timeout": {
        "en": "{function} was never defined: the notebook cell that defines it ran past its "
              "time limit and was stopped there, as nbgrader stops it{where}. Put long or "
              "endless computations under `if __name__ == \"__main__\":`.",
        "zh": "{function} 没有被定义：定义它的笔记本单元运行超时，已像评分时那样在此处被中止"
              "{where}。请把耗时或不会结束的计算放到 `if __name__ == \"__main__\":` 之下。",
    },
    "course.check_cell": {
        "en": "Checks `{function}` ({points:g} points) in a separate process, as `grade` does;\n"
              "what is wrong is printed below. (Locked: your edits here are undone.)",
        "zh": "在单独的进程中检查 `{function}`（{points:g} 分），与 `grade` 的做法相同；\n"
              "问题会打印在下方。（此单元已锁定：你在这里的修改会被撤销。）",
    },
    "course.check.no_kernel": {
        "en": "{function}: not graded: run this cell in a Jupyter notebook (an IPython kernel).",
        "zh": "{function}：未评分：请在笔记本的内核中运行此单元。",
    },
    "course.check.grader_failed": {
        "en": "{function}: the grader failed, this is not your mistake; please tell your "
              "instructor.\n{error}",
        "zh": "{function}：评分器自身出错，这不是你的错误；请告诉你的老师。\n{error}",
    },
    "course.check.public": {
        "en": "Public checks of {function}: {earned:g}/{worth:g} points. All checks "
              "({points:g} points) run when your notebook is graded.",
        "zh": "{function} 的公开检查：{earned:g}/{worth:g} 分。评分时会运行全部检查"
              "（共 {points:g} 分）。",
    },
    "course.check.no_device": {
        "en": "{function}: no check could run on device {device} here.",
        "zh": "{function}：这里没有检查能在设备 {device} 上运行。",
    },
    "course.check.points": {
        "en": "{function}: {score:g}/{points:g} points",
        "zh": "{function}：{score:g}/{points:g} 分",
    },
    # -- autograder exercise check (autograder.mutation) ----------------------------
    "exercise.module": {"en": "== {module} ==", "zh": "== {module} =="},
    "exercise.reference.ok": {
        "en": "reference: full marks ({score:g}/{max_score:g})",
        "zh": "参考答案：满分（{score:g}/{max_score:g}）",
    },
    "exercise.reference.wrong": {
        "en": "reference: NOT full marks ({score:g}/{max_score:g}); failed: {functions}",
        "zh": "参考答案：未得满分（{score:g}/{max_score:g}）；未通过：{functions}",
    },
    "exercise.stub.ok": {
        "en": "stub: 0/{max_score:g}, every function not implemented yet",
        "zh": "初始代码：0/{max_score:g}，每个函数都尚未实现",
    },
    "exercise.stub.wrong": {
        "en": "stub: {score:g}/{max_score:g}; not reported as not implemented yet: "
              "{functions}",
        "zh": "初始代码：{score:g}/{max_score:g}；以下函数没有被报告为尚未实现：{functions}",
    },
    "exercise.mutant.killed": {
        "en": "  killed    {id} (by {by})",
        "zh": "  已检出    {id}（由 {by} 检出）",
    },
    "exercise.mutant.survived": {
        "en": "  SURVIVED  {id}: {diff}",
        "zh": "  未检出    {id}：{diff}",
    },
    "exercise.diff": {
        "en": "line {line}: {before}  \u2192  {after}",
        "zh": "第 {line} 行：{before}  \u2192  {after}",
    },
    "exercise.mutant.equivalent": {
        "en": "  equivalent {id}: {reason}",
        "zh": "  等价变异  {id}：{reason}",
    },
    "exercise.mutant.stale": {
        "en": "  stale: EQUIVALENT_MUTANTS declares {id}, which no mutant has any more "
              "({reason})",
        "zh": "  已过时：EQUIVALENT_MUTANTS 声明的 {id} 已不对应任何变异（{reason}）",
    },
    "exercise.mutation.score": {
        "en": "mutants: {killed} killed of {graded} graded ({percent:.0f}%), {survived} "
              "survived, {equivalent} equivalent; {seconds:.1f} s",
        "zh": "变异：评分 {graded} 个，检出 {killed} 个（{percent:.0f}%），未检出 {survived} 个，"
              "等价 {equivalent} 个；用时 {seconds:.1f} 秒",
    },
    "exercise.unknown_module": {
        "en": "no exercise module is named {name} (the modules: {modules}).",
        "zh": "没有名为 {name} 的练习模块（现有模块：{modules}）。",
    },
    "exercise.unknown_function": {
        "en": "no graded function is named {name} in {modules}.",
        "zh": "{modules} 中没有名为 {name} 的评分函数。",
    },
    "exercise.bad_equivalents": {
        "en": "EQUIVALENT_MUTANTS must map mutant ids to reasons, both strings, written as "
              "a literal.",
        "zh": "EQUIVALENT_MUTANTS 必须是字面量写成的字典，把变异编号映射到理由，两者都是字符串。",
    },
    "exercise.passed": {
        "en": "Every reference gets full marks, every stub 0, and no mutant survives.",
        "zh": "每个参考答案都得满分，每份初始代码都得 0 分，没有未检出的变异。",
    },
    "exercise.failed": {
        "en": "The check failed: see the lines above.",
        "zh": "检查未通过：见上面各行。",
    },
    # -- the notebooks' prose; formulas and code blocks are parameters ----------------
    "course.how_it_works": {
        "en": "**How this notebook works.** Write your code in each cell that says\n"
              "`raise NotImplementedError()` (replace that line; keep the signature and the "
              "docstring).\nThe cell after it checks your function: it runs it in a separate "
              "process, exactly as\nthe `grade` command does, and prints what is wrong. When "
              "you run it yourself you get\nthe public checks; when your notebook is graded "
              "the hidden checks run too. A crash or an\ninfinite loop in your function costs "
              "only that cell's points. The checks run the code\nof every cell you ran before "
              "them (test cells excepted), so put long experiments, such\nas a training run, "
              "under `if __name__ == \"__main__\":`, which the checks skip.",
        "zh": "**这个笔记本怎么用。** 在每个写着 `raise NotImplementedError()` 的单元里写你的代码"
              "（替换这一行；保留函数签名和文档字符串）。\n它后面的单元会检查你的函数：像 `grade` "
              "命令一样在单独的进程中运行它，并打印出哪里不对。你自己运行时只有公开检查；"
              "笔记本被评分时，隐藏检查也会运行。\n函数崩溃或陷入死循环，只会失去那一个单元的分数。"
              "检查会先运行你在它之前运行过的所有单元（检查单元除外），所以请把耗时的实验"
              "（例如一次完整的训练）放在 `if __name__ == \"__main__\":` 之下，检查会跳过这部分。",
    },
    "course.code_stub": {"en": "YOUR CODE HERE", "zh": "在这里写你的代码"},
    "course.heading.function": {"en": "## {number}. The function `{name}`",
                                "zh": "## {number}. 函数 `{name}`"},
    "course.heading.class": {"en": "## {number}. The class `{name}`",
                             "zh": "## {number}. 类 `{name}`"},
    "course.linear_regression.notes": {
        "en": "The model predicts {prediction} for a minibatch\n{X} of shape {shape}. "
              "Training repeats, for each minibatch\n{batch}: compute the loss, backpropagate, "
              "and take one step of minibatch\nstochastic gradient descent\n\n{step}\n\n"
              "The study group's loop, which your functions must fit:\n\n{loop}",
        "zh": "对形状为 {shape} 的小批量 {X}，模型的预测是 {prediction}。训练时对每个小批量 "
              "{batch} 重复：计算损失、反向传播，再做一步小批量随机梯度下降\n\n{step}\n\n"
              "学习小组的训练循环如下，你的函数必须能放进这个循环：\n\n{loop}",
    },
    "course.softmax_regression.notes": {
        "en": "**Why softmax, and why cross-entropy instead of squared error?** Used directly "
              "as\npredictions, the outputs {o_j} of a linear layer have no fixed range: an "
              "output of 10\nmeans \"very sure\" next to outputs of 0.1, and \"not sure at all\" "
              "next to outputs of\n1000; and the error between such unbounded values and a "
              "discrete label is hard to\nmeasure. Softmax turns the outputs into a probability "
              "distribution over the {q}\nclasses,\n{softmax}, without changing which class is "
              "the most\nlikely. To fit it, squared error would ask every wrong class's "
              "probability to be exactly\nright too, which is far stricter than classification "
              "needs; cross-entropy\n{cross_entropy} only asks the true class's\nprobability to "
              "be as large as possible.",
        "zh": "**为什么用 `softmax`，为什么用交叉熵而不用平方误差？** 线性层的输出 {o_j} "
              "若直接当作预测，取值范围并不固定：旁边的输出都是 0.1 时，输出 10 表示“非常确定”；"
              "旁边的输出都是 1000 时，它却表示“毫无把握”。而且这种没有界的值与离散标签之间的"
              "误差也很难衡量。`softmax` 把输出变成 {q} 个类别上的概率分布，\n{softmax}，"
              "且不改变哪个类别最可能。拟合时，平方误差会要求每个错误类别的概率也恰好正确，"
              "这比分类所需要的严格得多；交叉熵\n{cross_entropy} 只要求真实类别的概率尽可能大。",
    },
    "course.activations.notes": {
        "en": "**Why an activation at all?** A stack of affine layers is itself an affine "
              "function:\n{first} followed by\n{second} is just\n{collapsed},\nso hidden "
              "layers add nothing. A nonlinear function applied to every hidden unit,\n"
              "{hidden}, prevents that collapse.",
        "zh": "**为什么需要激活函数？** 多个仿射层叠在一起仍然是一个仿射函数：\n{first} "
              "之后接\n{second}，\n结果就是\n{collapsed}，\n隐藏层毫无用处。对每个隐藏单元"
              "施加一个非线性函数，\n{hidden}，就能避免这种坍缩。",
    },
    "course.language_model.notes": {
        "en": "A language model learns {p}: it reads a window of\n`num_steps` tokens and is "
              "trained to predict each next token, so every sampler yields\ninputs `X` and "
              "targets `Y` that are `X` shifted one token to the left. The two samplers\n"
              "differ in how windows are cut and ordered: random sampling shuffles independent "
              "windows;\nconsecutive sampling lets row {i} of one minibatch continue row {i} "
              "of the previous one.",
        "zh": "语言模型学习 {p}：它读入 `num_steps` 个词元的窗口，并被训练去预测每个下一个"
              "词元，所以每个采样器给出的输入 `X` 和目标 `Y` 中，`Y` 是 `X` 向左平移一个词元。"
              "两个采样器的区别在于窗口如何切分和排序：随机采样打乱相互独立的窗口；"
              "相邻采样让一个小批量的第 {i} 行接续上一个小批量的第 {i} 行。",
    },
    "course.concise.notes": {
        "en": "The same linear regression as before, written the way it is done in practice: "
              "an\n`nn.Linear` layer owns the weight and the bias, `nn.MSELoss` and "
              "`torch.optim.SGD` would\nreplace `squared_loss` and `sgd`.",
        "zh": "与前面相同的线性回归，这次按实践中的写法来写：由一个 `nn.Linear` 层持有权重和"
              "偏置，`nn.MSELoss` 和 `torch.optim.SGD` 可以取代 `squared_loss` 和 `sgd`。",
    },
    "course.linear_regression.sgd.note": {
        "en": "**Why divide by `batch_size`?** The loss the training loop calls `backward()` "
              "on is the\n*sum* of the minibatch's per-example losses, so `param.grad` is the "
              "sum of `batch_size`\ngradients. Dividing by `batch_size` makes it their mean: "
              "the step no longer grows with\nthe batch, and the learning rate means the same "
              "for any batch size.",
        "zh": "**为什么要除以 `batch_size`？** 训练循环对其调用 `backward()` 的损失，是小批量中"
              "各样本损失的*和*，所以 `param.grad` 是 `batch_size` 个梯度之和。除以 `batch_size` "
              "就得到它们的平均值：步长不再随批量变大，学习率对任何批量大小都有相同的含义。",
    },
    "course.linear_regression.train_epoch.note": {
        "en": "**Why sum the loss before `backward()`?** `loss(net(X, *params), y)` is a "
              "vector, one\nloss per example, and `backward()` needs a scalar (PyTorch refuses "
              "to backpropagate a\nvector without being told how to weigh its entries). The "
              "sum is that scalar, and its\ngradient is the sum of the per-example gradients, "
              "which `sgd` divides by `batch_size`.\n**Why zero the gradients?** `backward()` "
              "adds into `.grad`: without zeroing, each\nminibatch would also step along all "
              "the earlier minibatches' gradients.",
        "zh": "**为什么在 `backward()` 之前对损失求和？** `loss(net(X, *params), y)` 是一个向量，"
              "每个样本一个损失，而 `backward()` 需要一个标量（不告诉 `torch` 如何加权各个元素，"
              "它就拒绝对向量反向传播）。求和得到的就是这个标量，它的梯度是各样本梯度之和，"
              "`sgd` 再把它除以 `batch_size`。\n**为什么要把梯度清零？** `backward()` 会把梯度"
              "累加到 `.grad` 中：不清零的话，每个小批量还会沿着之前所有小批量的梯度再走一步。",
    },
    # -- the contracts: each stub's docstring in Chinese ------------------------------
    "course.linear_regression.intro": _stub_docstring("linear_regression", "the module", """\
从零开始实现线性回归。

《动手学深度学习》“线性神经网络”一章的“线性回归的从零开始实现”一节（学习小组所用中文版的 3.2 节）。\
你要实现从零开始的训练循环的四个部分：小批量读取器、模型、损失和小批量随机梯度下降的更新，\
再实现把它们串起来的一个轮次的训练循环。"""),
    "course.linear_regression.data_iter.doc": _stub_docstring("linear_regression", "data_iter", """\
以随机顺序生成 (features, labels) 的小批量。

每个轮次（完整遍历一次生成器）中每个样本恰好出现一次，且每次新建生成器时顺序都重新随机。\
打乱很重要，因为随机梯度下降假定每个小批量都是数据集的随机样本；按存储顺序读取样本会得到\
相关的、有偏的梯度估计。

用 torch.randperm 生成顺序，这样 torch.manual_seed 能让一个轮次可以复现\
（像本书那样用 random.shuffle 打乱一个下标列表也可以）。

参数：
    batch_size: 每个小批量的样本数（int，> 0）。
    features: 形状为 (n, d) 的张量，任意浮点 dtype，任意设备。
    labels: 第一维为 n 的张量，例如 (n,) 或 (n, 1)，与 features 在同一设备上。

生成：
    (X, y)，其中 X 和 y 是 features 和 labels 中按同一批下标（长度为 batch_size）取出的行；\
只有最后一批可以更短（n % batch_size 个样本）。下标张量位于 features.device 上。\
不原地修改任何东西。"""),
    "course.linear_regression.linreg.doc": _stub_docstring("linear_regression", "linreg", """\
线性回归模型 X @ w + b。

一次矩阵向量乘法就算出小批量中每个样本的预测；b 沿行广播。

参数：
    X: 特征，形状为 (n, d)。
    w: 权重，形状为 (d, 1)，与 X 的 dtype 和设备相同。
    b: 偏置，形状为 (1,)（或标量张量），dtype 和设备相同。

返回：
    形状为 (n, 1) 的预测 y_hat。不原地修改任何东西；结果留在 w 和 b 的自动求导计算图中。"""),
    "course.linear_regression.squared_loss.doc": _stub_docstring("linear_regression", "squared_loss", """\
逐样本的平方损失 (y_hat - y) ** 2 / 2。

系数 1/2 让导数恰好是 y_hat - y。这里不做归约：由调用者决定求和还是求平均。

参数：
    y_hat: 预测，形状为 (n, 1)。
    y: 真实标签，形状为 (n,) 或 (n, 1)，dtype 和设备相同。先把 y 变形为 y_hat 的形状：\
用 (n, 1) 的张量减去 (n,) 的张量会广播成 (n, n)。

返回：
    与 y_hat 形状相同的张量，每个样本一个损失。不原地修改任何东西。"""),
    "course.linear_regression.sgd.doc": _stub_docstring("linear_regression", "sgd", """\
小批量随机梯度下降：param -= lr * grad / batch_size。

调用 backward() 的损失是小批量中各样本损失的*和*，所以 param.grad 是 batch_size 个梯度之和；\
除以 batch_size 把它变成平均梯度，使步长与批量大小无关。

参数：
    params: requires_grad=True 的叶子张量，其 .grad 已由 backward() 填好，例如 [w, b]。
    lr: 学习率（float）。
    batch_size: 梯度求和所用的样本数。

返回：
    None。每个 param 被原地更新，且必须仍是同一个 requires_grad=True 的叶子张量：\
在 torch.no_grad() 下做更新，这样自动求导既不记录它，也不会因原地修改叶子张量而报错\
（像本书的 d2lzh_pytorch 那样更新 param.data 也可以）。这里不必清零梯度（由 train_epoch 负责）；\
像本书的中文版那样在这里也清零，同样可以。"""),
    "course.linear_regression.train_epoch.doc": _stub_docstring("linear_regression", "train_epoch", """\
运行从零开始的训练循环的一个轮次。

对 data 中的每个小批量 (X, y)：把逐样本损失 loss(net(X, *params), y) 求和成一个标量，\
对它调用 backward()，调用 updater(params, lr, batch_size)，然后把每个 param 的梯度清零\
（改在 backward() 之前清零，即通常调用 zero_grad() 的位置，也可以）。\
对损失求和是因为 backward() 需要标量；清零梯度是因为 torch 会把梯度累加到 .grad 中，\
否则下一个小批量看到的是此前所有梯度之和：每次更新都必须只看到它自己那个小批量的梯度。

参数：
    net: 以 net(X, *params) 调用的模型，例如 linreg。
    loss: 以 loss(y_hat, y) 调用的逐样本损失，例如 squared_loss。
    updater: 以 updater(params, lr, batch_size) 调用的优化步骤，例如 sgd。
    data: 由小批量 (X, y) 组成的可迭代对象，例如 data_iter(batch_size, features, labels)。
    params: requires_grad=True 的叶子张量，例如 [w, b]。
    lr: 传给 updater 的学习率。
    batch_size: 传给 updater 的批量大小。

返回：
    None。params 被原地更新（通过 updater）。"""),
    "course.softmax_regression.intro": _stub_docstring("softmax_regression", "the module", """\
从零开始实现 softmax 回归。

《动手学深度学习》“线性神经网络”一章的“softmax 回归的从零开始实现”一节\
（学习小组所用中文版的 3.6 节）。你要在线性层之上写出从零开始的分类器需要的三个函数：\
softmax、交叉熵损失和分类准确率。"""),
    "course.softmax_regression.softmax.doc": _stub_docstring("softmax_regression", "softmax", """\
按行计算 softmax：exp(X[i, j]) / sum_k exp(X[i, k])。

softmax 把任意实数输出（未归一化的分数）变成 q 个类别上的概率分布：每个元素非负，\
每行之和为 1。分数很大时 exp 会溢出（在 float32 中 exp(1000) 是 inf），所以先减去每行的\
最大值：给一行加上同一个常数不改变 softmax，减去之后最大的指数是 exp(0) = 1。

参数：
    X: 形状为 (n, q) 的分数，浮点 dtype，任意设备。不得原地修改。

返回：
    形状为 (n, q) 的张量，dtype 和设备与 X 相同，每行是一个概率分布。\
即使分数约为 ±1000 也是有限值。"""),
    "course.softmax_regression.cross_entropy.doc": _stub_docstring("softmax_regression", "cross_entropy", """\
逐样本的交叉熵损失 -log(y_hat[i, y[i]])。

标签是独热向量时，交叉熵 sum_j -y_j log(y_hat_j) 只剩一项：模型给真实类别的概率取对数\
再取负。与平方损失不同，它不关心剩下的概率如何分布在错误类别上，只要求真实类别的概率\
尽可能大。

参数：
    y_hat: 预测的概率，形状为 (n, q)（例如 softmax 的输出）。
    y: 真实类别的下标，形状为 (n,) 的 int64 张量，取值在 [0, q) 内，与 y_hat 在同一设备上\
（不是独热行）。

返回：
    形状为 (n,) 的张量，每个样本一个损失；像本书的 \
-torch.log(y_hat.gather(1, y.view(-1, 1))) 那样得到形状 (n, 1) 也可以。\
真实类别的概率为 0 时损失是 -log(0) = inf（用 -log(p + 1e-12) 这样的小量保护、\
让损失保持很大，也可以）；错误类别上的 0 不能让损失变成 nan。不原地修改任何东西。"""),
    "course.softmax_regression.accuracy.doc": _stub_docstring("softmax_regression", "accuracy", """\
预测类别等于真实类别的样本所占的比例。

预测类别是一行中分数最大的那个（argmax）；对未归一化的分数和它们的 softmax 来说都一样，\
因为 softmax 保持每行的大小顺序。

参数：
    y_hat: 分数或概率，形状为 (n, q)。
    y: 真实类别的下标，形状为 (n,) 的 int64 张量，在同一设备上。

返回：
    [0, 1] 内的 float。不原地修改任何东西。"""),
    "course.activations.intro": _stub_docstring("activations", "the module", """\
用基本张量运算实现激活函数。

《动手学深度学习》“多层感知机”一章“多层感知机”一节中的“激活函数”（学习小组所用中文版的 \
3.8 节）。中间没有非线性的话，叠起来的线性层会坍缩成一个线性层；这些函数提供了这种非线性。

本作业的规则：每个函数都用基本张量运算（比较、torch.where、torch.exp、算术运算等）实现。\
不要使用 torch 内置的 relu、sigmoid 或 tanh，无论是 torch 模块的函数、张量的方法还是 \
torch.nn.functional 中的函数，也不要使用 clamp。"""),
    "course.activations.relu.doc": _stub_docstring("activations", "relu", """\
修正线性单元：逐元素计算 max(x, 0)。

ReLU 保留正的输入，把负的输入置零。它的导数在 x > 0 时为 1，在 x < 0 时为 0\
（在 x = 0 处取 0，与 torch 相同；恰好在 0 处的梯度不评分：本书的 \
torch.max(X, torch.tensor(0.0)) 在那里给出 0.5），所以梯度穿过激活的单元时不会缩小，\
这正是它能缓解 sigmoid 和 tanh 的梯度消失问题的原因。

参数：
    X: 任意形状的张量，浮点 dtype，任意设备。

返回：
    与 X 形状、dtype 和设备都相同的张量。自动求导必须能穿过它。不原地修改 X。"""),
    "course.activations.sigmoid.doc": _stub_docstring("activations", "sigmoid", """\
逐元素计算 sigmoid 1 / (1 + exp(-x))，且数值稳定。

sigmoid 把任意实数输入压缩到 (0, 1) 内。直接计算时，x 很小（例如 float32 中的 -1000）会让 \
exp(-x) 溢出成 inf，反向传播时就得到 inf 或 nan。只对非正数取 exp：x >= 0 时用  \
1 / (1 + exp(-x))，x < 0 时用等价的 exp(x) / (1 + exp(x))。torch.where 会计算两个分支，\
所以只对 -|x| 取 exp，并把 -|x| 写成 torch.where(X >= 0, -X, X)：X.abs() 在 x = 0 处的\
梯度是 0，而 sigmoid 在那里的导数是 0.25。

参数：
    X: 任意形状的张量，浮点 dtype，任意设备。

返回：
    与 X 形状、dtype 和设备都相同的张量，取值在 [0, 1] 内。自动求导必须能穿过它，\
并处处给出真实的导数 sigmoid(x) * (1 - sigmoid(x))，包括 x = 0；\
|x| 很大（例如 ±1000）时值和梯度都必须是有限的。不原地修改 X。"""),
    "course.activations.tanh.doc": _stub_docstring("activations", "tanh", """\
逐元素计算双曲正切 (1 - exp(-2x)) / (1 + exp(-2x))，且数值稳定。

tanh 把任意实数输入压缩到 (-1, 1) 内，与 sigmoid 不同，它以 0 为中心\
（tanh(x) = 2 * sigmoid(2x) - 1）。和 sigmoid 一样，避免对很大的正数取 exp：\
用 exp(-2|x|) 算出 t = tanh(|x|)，再恢复符号，因为 tanh 是奇函数。-|x| 写成 \
torch.where(X >= 0, -X, X)，恢复符号用 torch.where(X >= 0, t, -t)：X.abs() 和 \
torch.sign(X) 在 x = 0 处的梯度是 0，基于它们的写法（如 sign(x) * tanh(|x|)）在那里\
给出的梯度是 0，而不是 1。

参数：
    X: 任意形状的张量，浮点 dtype，任意设备。

返回：
    与 X 形状、dtype 和设备都相同的张量，取值在 [-1, 1] 内。自动求导必须能穿过它，\
并处处给出真实的导数 1 - tanh(x) ** 2，包括 x = 0；|x| 很大（例如 ±1000）时\
值和梯度都必须是有限的。不原地修改 X。"""),
    "course.language_model.intro": _stub_docstring("language_model", "the module", """\
语言模型的小批量采样器。

《动手学深度学习》“循环神经网络”一章的“语言模型”一节（学习小组所用中文版的 6.3 节\
“语言模型数据集”，你要实现的就是该版本中不带随机起始偏移的两个采样器）。\
语言模型被训练去预测下一个词元，所以每个采样器给出的输入 X 都配有目标 Y，\
Y 是 X 向左平移一个词元：Y[i, t] 是语料中紧跟在 X[i, t] 之后的词元。"""),
    "course.language_model.data_iter_random.doc": _stub_docstring("language_model", "data_iter_random", """\
随机采样：由互不重叠的子序列组成、顺序随机的小批量。

把语料切成 num_examples = (len(corpus_indices) - 1) // num_steps 个互不重叠的窗口，\
起点为 0、num_steps、2 * num_steps……（减 1 是因为最后一个词元没有后继可作目标），\
用 random.shuffle 打乱起点，每个小批量取其中 batch_size 个。相邻的两个小批量在语料中\
一般并不相邻，所以每个小批量都要重新初始化 RNN 的隐状态。

参数：
    corpus_indices: 语料，由词元下标（int）组成的 list。
    batch_size: 每个小批量的子序列数。
    num_steps: 每个子序列的时间步数（词元数）。
    device: 张量放在哪里；None 表示 torch.device('cuda' if torch.cuda.is_available() else 'cpu')。

生成：
    (X, Y)，位于 device 上、形状为 (batch_size, num_steps) 的 int64 张量，\
其中对某个窗口起点 s 有 X[i] = corpus_indices[s : s + num_steps]，\
Y[i] = corpus_indices[s + 1 : s + num_steps + 1]；float32 张量（本书的 \
d2lzh_pytorch）也可以。num_examples % batch_size != 0 时最后一个小批量的行数较少；\
像本书的 d2lzh_pytorch 那样丢掉这个不满的小批量（只给出 num_examples // batch_size \
个完整的小批量）也可以。不修改 corpus_indices。"""),
    "course.language_model.data_iter_consecutive.doc": _stub_docstring("language_model", "data_iter_consecutive", """\
相邻采样（顺序采样）：相邻的小批量彼此接续。

保留前 len(corpus_indices) // batch_size * batch_size 个词元，排成 (batch_size, -1) 的矩阵\
（第 i 行是语料中连续的一段），再用一个 num_steps 列的窗口在矩阵上滑动。\
第 k + 1 个小批量的第 i 行接续第 k 个小批量的第 i 行，所以 RNN 可以把隐状态从一个小批量\
带到下一个（并把它从计算图中分离，使反向传播只在一个小批量之内）。

参数：
    corpus_indices: 语料，由词元下标（int）组成的 list。
    batch_size: 每个小批量的行数（并行的序列流数）。
    num_steps: 每个小批量的时间步数（词元数）。
    device: 张量放在哪里；None 表示 torch.device('cuda' if torch.cuda.is_available() else 'cpu')。

生成：
    (X, Y)，位于 device 上、形状为 (batch_size, num_steps) 的 int64 张量，\
Y[:, t] 是同一行中 X[:, t] 之后的词元；共 (indices.shape[1] - 1) // num_steps 个小批量。\
float32 张量（本书的 d2lzh_pytorch）也可以。不修改 corpus_indices。"""),
    "course.concise.intro": _stub_docstring("concise", "the module", """\
用 torch.nn 简洁地实现线性回归。

《动手学深度学习》“线性神经网络”一章的“线性回归的简洁实现”一节（学习小组所用中文版的 \
3.3 节）。不再手动管理 w 和 b，而是让一个 nn.Linear 层持有它们，并把它包装在一个 \
nn.Module 中。"""),
    "course.concise.LinearNet.doc": _stub_docstring("concise", "LinearNet", """\
线性回归 y = x W^T + b，写成只含一个 nn.Linear 的 nn.Module。

为什么 net.weight 和 net.bias 不存在？（学习小组的笔记没有回答这个问题。）\
把一个 nn.Parameter 赋给 nn.Module 的属性时，它会注册一个参数；赋一个 nn.Module 时，\
它会注册一个子模块。LinearNet 只赋了子模块 self.linear，自己没有声明参数；权重和偏置\
属于那个 nn.Linear。所以要通过子模块访问它们：net.linear.weight（形状为 (1, n_feature)）\
和 net.linear.bias（形状为 (1,)）。net.parameters() 和 net.named_parameters() 仍会递归地\
找到它们，名字是 'linear.weight' 和 'linear.bias'。（用 nn.Sequential 时子模块以下标命名：\
net[0].weight。）

参数：
    n_feature: 输入特征数 d。

属性：
    linear: nn.Linear(n_feature, 1)，唯一的子模块。"""),
    "course.concise.LinearNet.__init__.doc": _stub_docstring("concise", "LinearNet.__init__", """\
创建唯一的子模块 self.linear = nn.Linear(n_feature, 1)。

先调用 super().__init__()：nn.Module 在这里建立簿记，属性赋值时才能注册子模块和参数。"""),
    "course.concise.LinearNet.forward.doc": _stub_docstring("concise", "LinearNet.forward", """\
应用线性层。

参数：
    x: 特征，形状为 (n, n_feature)，float32（层参数的 dtype），与模块在同一设备上。

返回：
    形状为 (n, 1) 的预测。调用模块本身，即 net(x)，而不是 net.forward(x)，\
这样 nn.Module 的钩子才会运行。"""),
}

CATALOGUE.update(COURSE)


# -- engines: Gradescope's results and the CI reports (autograder.engines) ---------------
ENGINES: dict[str, dict[str, str]] = {
    "engines.summary.title": {"en": "Grading results", "zh": "评分结果"},
    "engines.summary.function": {"en": "function", "zh": "函数"},
    "engines.summary.failures": {"en": "What to fix", "zh": "需要修改的地方"},
    "engines.summary.all_passed": {"en": "Every test passed.", "zh": "所有测试都通过了。"},
    # The names of the workflow's steps, which students see on their repository's
    # Actions page.
    "engines.workflow.name": {"en": "Autograding", "zh": "自动评分"},
    "engines.workflow.checkout": {"en": "Check out the repository", "zh": "检出仓库"},
    "engines.workflow.python": {"en": "Set up Python", "zh": "安装 Python"},
    "engines.workflow.install": {"en": "Install PyTorch (CPU) and the autograder",
                                 "zh": "安装 PyTorch（CPU 版）和评分器"},
    "engines.workflow.grade": {"en": "Grade", "zh": "评分"},
    "engines.workflow.summary": {"en": "Show the summary on the job's page",
                                 "zh": "在任务页面上显示评分摘要"},
    "engines.workflow.junit": {"en": "Keep the JUnit report", "zh": "保存测试报告文件"},
    "engines.gradescope.bad_sandbox": {
        "en": "--sandbox {value}: a Gradescope bundle grades in the sandbox: choose auto or "
              "strict.",
        "zh": "--sandbox {value}：`Gradescope` 评分包总在沙箱中评分，只能是 `auto` 或 `strict`。",
    },
    "engines.gradescope.no_submission": {
        "en": "Your upload holds no exercise file, so nothing could be graded. Upload your "
              "{files} (or notebooks of the same names, .ipynb), at the top of the upload or "
              "together in one folder.",
        "zh": "你上传的内容中没有练习文件，因此无法评分。请上传 {files}（或同名的 .ipynb 笔记本），"
              "放在上传内容的最外层，或一起放在同一个文件夹里。",
    },
}

CATALOGUE.update(ENGINES)

# -- the `autograder` command's help (autograder/instructor.py) ---------------------------
INSTRUCTOR_CLI: dict[str, dict[str, str]] = {
    "instructor.description": {"en": "Instructor tools of the D2L autograder.",
                               "zh": "《动手学深度学习》评分器的教师工具。"},
    "instructor.metavar.tool": {"en": "TOOL", "zh": "工具"},
    "instructor.metavar.action": {"en": "ACTION", "zh": "操作"},
    "instructor.metavar.course_dir": {"en": "COURSE_DIR", "zh": "课程文件夹"},
    "instructor.metavar.course_id": {"en": "COURSE_ID", "zh": "课程编号"},
    "instructor.metavar.module": {"en": "MODULE", "zh": "模块"},
    "instructor.metavar.m": {"en": "M", "zh": "模块"},
    "instructor.metavar.f": {"en": "F", "zh": "函数"},
    "instructor.metavar.zip": {"en": "ZIP", "zh": "压缩包"},
    "instructor.metavar.dir": {"en": "DIR", "zh": "仓库文件夹"},
    "instructor.metavar.spec": {"en": "SPEC", "zh": "安装来源"},
    "instructor.metavar.folder": {"en": "FOLDER", "zh": "提交文件夹"},
    "instructor.metavar.version": {"en": "VERSION", "zh": "版本"},
    "instructor.metavar.submissions": {"en": "SUBMISSIONS", "zh": "班级提交"},
    "instructor.metavar.out": {"en": "OUT", "zh": "输出文件夹"},
    "instructor.metavar.jobs": {"en": "N", "zh": "人数"},
    "instructor.help.nbgrader": {"en": "run the exercises as an nbgrader course",
                                 "zh": "把练习作为 `nbgrader` 课程运行"},
    "instructor.help.nbgrader_init": {
        "en": "write nbgrader_config.py and one source notebook per exercise module",
        "zh": "写出 nbgrader_config.py，以及每个练习模块一个源笔记本",
    },
    "instructor.description.nbgrader_init": {
        "en": "Write an nbgrader course: {course_dir}/nbgrader_config.py and "
              "{course_dir}/source/<module>/<module>.ipynb for each exercise module.",
        "zh": "写出一个 `nbgrader` 课程：{course_dir}/nbgrader_config.py，以及每个练习模块的 "
              "{course_dir}/source/<模块>/<模块>.ipynb。",
    },
    "instructor.help.course_id": {"en": "nbgrader's course id (default: {default})",
                                  "zh": "`nbgrader` 的课程编号（默认 `{default}`）"},
    "instructor.help.cell_timeout": {
        "en": "seconds nbgrader lets one cell run (default: {default})",
        "zh": "`nbgrader` 允许一个单元格运行的秒数（默认 {default}）",
    },
    "instructor.help.cell_device": {
        "en": "where the test cells run the student's code, as `grade --device` "
              "(default: {default})",
        "zh": "测试单元格在哪个设备上运行学生的代码，同 `grade --device`（默认 `{default}`）",
    },
    "instructor.help.call_timeout": {
        "en": "seconds each call into the student's code may take, as `grade --timeout` "
              "(default: {default:g})",
        "zh": "每次调用学生的代码最多可用的秒数，同 `grade --timeout`（默认 {default:g}）",
    },
    "instructor.help.only": {"en": "make an assignment of this module only (repeatable)",
                             "zh": "只为这个模块生成作业（可重复）"},
    "instructor.help.course_lang": {
        "en": "language of the notebooks and of the diagnoses in the feedback (default: en)",
        "zh": "笔记本以及反馈中诊断的语言（默认 `en`）",
    },
    "instructor.help.cell_sandbox": {
        "en": "how the test cells isolate the student's code, as `grade --sandbox` "
              "(default: auto; the grading service never grades without the sandbox, so off "
              "is graded as auto)",
        "zh": "测试单元格如何隔离学生的代码，同 `grade --sandbox`（默认 `auto`；评分服务从不"
              "在沙箱外评分，所以 `off` 按 `auto` 评分）",
    },
    "instructor.help.force_files": {"en": "overwrite existing files", "zh": "覆盖已有的文件"},
    "instructor.unknown_module": {"en": "no exercise module {modules} (choose from {choices})",
                                  "zh": "没有叫 {modules} 的练习模块（可选：{choices}）"},
    "instructor.help.exercise": {"en": "check the exercises and their suites",
                                 "zh": "检查练习及其测试集"},
    "instructor.help.exercise_check": {
        "en": "the reference gets full marks, the stub 0, and the hidden suite kills every "
              "mutant of the reference",
        "zh": "参考答案得满分，桩代码得 0 分，隐藏测试集杀死参考答案的每个变异体",
    },
    "instructor.description.exercise_check": {
        "en": "For each exercise module: grade the reference (full marks expected) and the "
              "stub (0, every function not implemented yet), then grade each mutant of the "
              "reference with the hidden suite. Exit status 1 when anything fails or a mutant "
              "survives.",
        "zh": "对每个练习模块：给参考答案评分（应得满分）、给桩代码评分（应得 0 分，所有函数都"
              "尚未实现），再用隐藏测试集给参考答案的每个变异体评分。有任何一项不符或有变异体"
              "存活时，退出码为 1。",
    },
    "instructor.help.check_module": {"en": "check this module only (repeatable; default: all)",
                                     "zh": "只检查这个模块（可重复；默认检查全部）"},
    "instructor.help.check_function": {
        "en": "grade the mutants of this graded function only (repeatable)",
        "zh": "只给这个被评分函数的变异体评分（可重复）",
    },
    "instructor.help.check_json": {"en": "also write the results as JSON",
                                   "zh": "同时把结果写成 `JSON`"},
    "instructor.help.check_lang": {"en": "language of the report (default: from the locale)",
                                   "zh": "报告的语言（默认跟随系统语言）"},
    "instructor.help.gradescope": {"en": "grade on Gradescope", "zh": "在 `Gradescope` 上评分"},
    "instructor.help.gradescope_build": {
        "en": "write the autograder zip to upload to Gradescope",
        "zh": "写出要上传到 `Gradescope` 的评分器压缩包",
    },
    "instructor.description.gradescope_build": {
        "en": "Write Gradescope's autograder zip: setup.sh (PyTorch and this package's "
              "wheel), run_autograder (grade /autograder/submission into results.json) and "
              "the wheel.",
        "zh": "写出 `Gradescope` 的评分器压缩包：setup.sh（安装 PyTorch 和本包的 `wheel`）、"
              "run_autograder（给 /autograder/submission 评分，写入 results.json），以及本包的 "
              "`wheel`。",
    },
    "instructor.help.gpu": {
        "en": "install PyTorch's CUDA build, for a GPU image (default: CPU)",
        "zh": "安装 PyTorch 的 CUDA 版，用于 GPU 镜像（默认安装 CPU 版）",
    },
    "instructor.help.wheel": {"en": "this package's wheel (default: built from the checkout)",
                              "zh": "本包的 `wheel`（默认从源代码目录构建）"},
    "instructor.help.visibility": {
        "en": "who sees each test's result, and when (default: visible)",
        "zh": "每个测试的结果对谁可见、何时可见（默认 `visible`）",
    },
    "instructor.help.bundle_sandbox": {
        "en": "every layer of the sandbox the container allows (auto), or all of them or no "
              "grading (strict) (default: auto)",
        "zh": "容器允许的所有沙箱隔离层（`auto`），或缺一层就不评分（`strict`）"
              "（默认 `auto`）",
    },
    "instructor.help.classroom": {"en": "grade on GitHub Classroom (GitHub Actions)",
                                  "zh": "在 `GitHub Classroom` 上评分（`GitHub Actions`）"},
    "instructor.help.classroom_init": {"en": "write .github/workflows/classroom.yml",
                                       "zh": "写出 .github/workflows/classroom.yml"},
    "instructor.description.classroom_init": {
        "en": "Write {dir}/.github/workflows/classroom.yml, which grades the repository's "
              "submission/ on every push.",
        "zh": "写出 {dir}/.github/workflows/classroom.yml，它在每次推送时给仓库的 submission/ "
              "评分。",
    },
    "instructor.help.package": {
        "en": "what pip installs the grader from, pinned (default: "
              "d2l-autograder==<this version>)",
        "zh": "`pip` 从哪里安装评分器，须固定版本（默认 d2l-autograder==<本版本>）",
    },
    "instructor.help.submission": {"en": "the folder that is graded (default: submission/)",
                                   "zh": "被评分的文件夹（默认 submission/）"},
    "instructor.help.python": {"en": "the Python version to set up (default: 3.12)",
                               "zh": "要安装的 Python 版本（默认 3.12）"},
    "instructor.help.fail_under": {"en": "fail the job below {metavar} percent (default: 100)",
                                   "zh": "得分（百分比）低于 {metavar} 时任务失败（默认 100）"},
    "instructor.help.device": {
        "en": "where the tests run, as `grade --device` (default: all)",
        "zh": "测试在哪个设备上运行，同 `grade --device`（默认 `all`）",
    },
    "instructor.help.timeout": {
        "en": "seconds each call into the student's code may take (default: {default:g})",
        "zh": "每次调用学生的代码最多可用的秒数（默认 {default:g}）",
    },
    "instructor.help.lang": {"en": "language of the feedback (default: en)",
                             "zh": "反馈的语言（默认 `en`）"},
    "instructor.help.force_file": {"en": "overwrite an existing file", "zh": "覆盖已有的文件"},
    "instructor.exists": {"en": "{path} exists (pass --force to overwrite it)",
                          "zh": "{path} 已存在（加 --force 可覆盖它）"},
    "instructor.help.batch": {
        "en": "grade a whole class: a CSV, each student's reports, the class's most common "
              "mistakes",
        "zh": "给整个班级评分：一份 `CSV`、每个学生的报告，以及全班最常见的错误",
    },
    "instructor.description.batch": {
        "en": "Grade every submission in {submissions} (student folders, an nbgrader "
              "submitted/ tree, per-student .zip files or a Gradescope export) into {out}: "
              "grades.csv, class.html, class.md and {out}/<student>/ (results.json, "
              "feedback.html, feedback.txt). A second run grades only what changed.",
        "zh": "给 {submissions} 中的每份提交评分（学生文件夹、`nbgrader` 的 submitted/ 目录、"
              "每个学生一个 .zip 文件，或 `Gradescope` 的导出），结果写入 {out}：grades.csv、"
              "class.html、class.md 和 {out}/<学生>/（results.json、feedback.html、"
              "feedback.txt）。再次运行时只给有改动的提交评分。",
    },
    "instructor.help.out": {"en": "where the reports go", "zh": "报告写到哪里"},
    "instructor.help.jobs": {"en": "students graded at once (default: one per core)",
                             "zh": "同时评分的学生人数（默认每个核一个）"},
    "instructor.help.batch_timeout": {
        "en": "seconds of CPU time each call may take (default: 5)",
        "zh": "每次调用最多可用的 CPU 秒数（默认 5）",
    },
    "instructor.help.batch_deadline": {
        "en": "seconds each student's whole grading may take (default: 300)",
        "zh": "每个学生的整个评分最多可用的秒数（默认 300）",
    },
    "instructor.help.batch_lang": {
        "en": "language of the feedback and the class report (default: from the locale)",
        "zh": "反馈和全班报告的语言（默认跟随系统语言）",
    },
    "instructor.help.batch_sandbox": {
        "en": "isolation of each student's code, as `grade --sandbox` (default: auto)",
        "zh": "如何隔离每个学生的代码，同 `grade --sandbox`（默认 `auto`）",
    },
    "instructor.help.batch_force": {
        "en": "grade every student again, even where nothing changed",
        "zh": "给每个学生重新评分，即使没有任何改动",
    },
}

CATALOGUE.update(INSTRUCTOR_CLI)

# -- a class run: finding the students in SUBMISSIONS (autograder.batch.discover) ---------
BATCH_DISCOVER: dict[str, dict[str, str]] = {
    "batch.discover.missing": {
        "en": "{path}: no such folder",
        "zh": "{path}：没有这个文件夹",
    },
    "batch.discover.not_a_folder": {
        "en": "{path}: not a folder (pass the folder that holds one folder or .zip file "
              "per student)",
        "zh": "{path}：不是文件夹（请传入每位学生各占一个文件夹或 .zip 文件的那个文件夹）",
    },
    "batch.discover.unreadable": {
        "en": "could not be read (permissions?)",
        "zh": "无法读取（权限不足？）",
    },
    "batch.discover.symlink": {
        "en": "a symbolic link: links are not followed out of the submissions folder",
        "zh": "这是符号链接：不会沿链接离开提交文件夹",
    },
    "batch.discover.stray_file": {
        "en": "not a student's folder or .zip file",
        "zh": "既不是学生的文件夹，也不是 .zip 文件",
    },
    "batch.discover.top_level_module": {
        "en": "an exercise file at the top of the submissions folder, which should hold one "
              "folder or .zip file per student",
        "zh": "练习文件直接放在了提交文件夹的最外层；提交文件夹中应当是每位学生各一个文件夹或 "
              ".zip 文件",
    },
    "batch.discover.no_module": {
        "en": "no exercise module found (expected any of {files}, or notebooks of the same "
              "names, .ipynb)",
        "zh": "没有找到练习模块（应为 {files} 中的任意一个，或同名的 .ipynb 笔记本）",
    },
    "batch.discover.ambiguous": {
        "en": "more than one folder holds exercise modules ({folders}): keep only one",
        "zh": "有多个文件夹都包含练习模块（{folders}）：请只保留一个",
    },
    "batch.discover.zip_unreadable": {
        "en": "not a readable .zip file (damaged, encrypted, or compressed in a way that "
              "cannot be read)",
        "zh": "无法读取这个 .zip 文件（文件已损坏、已加密，或压缩方式无法读取）",
    },
    "batch.discover.zip_unsafe": {
        "en": "the .zip file holds {member}, a name that cannot be unpacked safely (an "
              "absolute path, a path with .., a control character, or a name used twice); "
              "nothing of it was unpacked",
        "zh": "这个 .zip 文件中有 {member}，该名称无法安全解压（绝对路径、含 .. 的路径、"
              "含控制字符，或名称重复），因此整个文件都未解压",
    },
    "batch.discover.zip_too_many": {
        "en": "the .zip file holds {count} entries, more than the {limit} allowed; it was not "
              "unpacked",
        "zh": "这个 .zip 文件包含 {count} 个条目，超过了 {limit} 个的上限，未予解压",
    },
    "batch.discover.zip_too_large": {
        "en": "the .zip file would unpack to {size}, more than the {limit} allowed (a zip "
              "bomb?); it was not unpacked",
        "zh": "这个 .zip 文件解压后将达到 {size}，超过了 {limit} 的上限（可能是压缩炸弹），未予解压",
    },
}

CATALOGUE.update(BATCH_DISCOVER)


# -- a class run's summary: class.md and class.html (autograder.batch.summary) -----------
# What `autograder batch` prints while it grades a class, and when it is done.
BATCH_RUN: dict[str, dict[str, str]] = {
    "batch.run.progress": {
        "en": "graded {done} of {total} students ({percent:.0f}%), {elapsed} s so far, "
              "about {left} s left",
        "zh": "已评分 {done}/{total} 名学生（{percent:.0f}%），用时 {elapsed} 秒，约剩 {left} 秒",
    },
    "batch.run.bar": {"en": "grading", "zh": "评分中"},
    "batch.run.done": {
        "en": "{students} students in {seconds} s: {graded} graded now, {reused} unchanged "
              "since the last run, {errors} not graded, {skipped} skipped.",
        "zh": "{students} 名学生，用时 {seconds} 秒：本次评分 {graded} 名，{reused} 名自上次以来"
              "未变（沿用上次结果），{errors} 名无法评分，跳过 {skipped} 项。",
    },
    "batch.run.skipped": {"en": "skipped {path}: {reason}", "zh": "已跳过 {path}：{reason}"},
    "batch.run.error": {"en": "not graded {student}: {reason}",
                        "zh": "无法评分 {student}：{reason}"},
    "batch.run.written": {"en": "Written: {files}", "zh": "已写入：{files}"},
    "batch.run.top_mistake": {
        "en": "Most common mistake: {label}, {count} of {graded} students.",
        "zh": "最常见的错误：{label}，{graded} 名学生中有 {count} 名。",
    },
    "batch.run.interrupted": {
        "en": "interrupted; the students graded so far are kept, and the next run grades "
              "only the others.",
        "zh": "评分已中断；已评分的学生结果会保留，下次运行只评其余学生。",
    },
}
CATALOGUE.update(BATCH_RUN)

BATCH_CLASS: dict[str, dict[str, str]] = {
    "batch.class.title": {"en": "Class summary", "zh": "全班评分汇总"},
    "batch.class.counts": {
        "en": "Graded: {graded}. Could not be graded: {errors}. Skipped: {skipped}.",
        "zh": "已评分：{graded} 人。无法评分：{errors} 人。已跳过：{skipped} 项。",
    },
    "batch.class.average": {
        "en": "Mean total: {mean:.1f}% of the points; median: {median:.1f}%.",
        "zh": "总分平均为满分的 {mean:.1f}%，中位数为 {median:.1f}%。",
    },
    "batch.class.nobody_graded": {"en": "No student was graded.", "zh": "没有学生得到评分。"},
    "batch.class.histogram": {"en": "Totals", "zh": "总分分布"},
    "batch.class.histogram_caption": {
        "en": "How many students scored in each band of 10% of the points.",
        "zh": "总分按满分的百分比每 10% 分为一档，各档的学生人数。",
    },
    "batch.class.band": {"en": "Total (%)", "zh": "总分（%）"},
    "batch.class.students": {"en": "Students", "zh": "人数"},
    "batch.class.pass_rates": {"en": "Pass rate per function", "zh": "各函数的通过率"},
    "batch.class.pass_rates_intro": {
        "en": "A student passes a function who earned all of its points; the rate is out "
              "of the {graded} students graded.",
        "zh": "拿到一个函数的全部分数即为通过；通过率按已评分的 {graded} 名学生计算。",
    },
    "batch.class.function": {"en": "Function", "zh": "函数"},
    "batch.class.points": {"en": "Points", "zh": "分值"},
    "batch.class.passed": {"en": "Passed", "zh": "通过人数"},
    "batch.class.rate": {"en": "Pass rate", "zh": "通过率"},
    "batch.class.mistakes": {"en": "The most common mistakes", "zh": "最常见的错误"},
    "batch.class.mistakes_intro": {
        "en": "Each diagnosis once per student; a file that is missing or could not be "
              "imported counts once for its module. A function not implemented yet is "
              "counted apart, above. The message shown is the one most of the students "
              "got; of messages got equally often, the shortest, then the first in "
              "code-point order.",
        "zh": "每条诊断对每名学生只计一次；缺少或无法导入的文件按模块计一次。尚未实现的函数"
              "另行计数（见上文）。显示的诊断是得到它的学生最多的那一条；人数相同时取最短的，"
              "再按字符编码顺序取第一条。",
    },
    "batch.class.not_implemented": {"en": "Not implemented yet", "zh": "尚未实现的函数"},
    "batch.class.not_implemented_intro": {
        "en": "{count} of the {graded} students graded left at least one function as the "
              "stub gave it (it raises NotImplementedError). These are counted here, per "
              "function, and not among the mistakes.",
        "zh": "已评分的 {graded} 名学生中，有 {count} 名至少有一个函数仍是初始代码（抛出 "
              "NotImplementedError）。这些按函数在此计数，不计入下面的错误。",
    },
    "batch.class.all_implemented": {
        "en": "Every graded student implemented every function.",
        "zh": "每名已评分的学生都实现了所有函数。",
    },
    "batch.class.no_mistakes": {
        "en": "No mistakes: every graded student passed every check.",
        "zh": "没有错误：每名已评分的学生都通过了所有检查。",
    },
    "batch.class.one_student": {
        "en": "{count} student ({share:g}% of the class)",
        "zh": "{count} 名学生（占全班 {share:g}%）",
    },
    "batch.class.many_students": {
        "en": "{count} students ({share:g}% of the class)",
        "zh": "{count} 名学生（占全班 {share:g}%）",
    },
    "batch.class.ids": {"en": "Students: {ids}", "zh": "学生：{ids}"},
    "batch.class.roster": {"en": "Each student", "zh": "每名学生的成绩"},
    "batch.class.roster_intro": {
        "en": "Points per module and in total, out of {max}; a graded student's id opens "
              "their feedback page ({page} in the student's folder).",
        "zh": "各模块得分与总分（满分 {max}）；点击已评分学生的编号可打开其反馈页面（学生文件夹中的 "
              "{page}）。",
    },
    "batch.class.student": {"en": "Student", "zh": "学生"},
    "batch.class.total": {"en": "Total", "zh": "总分"},
    "batch.class.status": {"en": "Status", "zh": "状态"},
    "batch.class.status_graded": {"en": "graded", "zh": "已评分"},
    "batch.class.status_error": {"en": "not graded: {why}", "zh": "无法评分：{why}"},
    "batch.class.errors": {"en": "Could not be graded", "zh": "无法评分的学生"},
    "batch.class.skipped": {"en": "Skipped", "zh": "已跳过的内容"},
}

CATALOGUE.update(BATCH_CLASS)


class Phrase:
    """A piece of a message (a description of a value, the name of what is checked): a
    catalogue key and its values, rendered in the reader's language with the message."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        return render(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


class Diagnosis(AssertionError):
    """A failed check, with the catalogue key of its explanation and the values it needs."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        return render(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("en")


def render(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, with nested Diagnosis parameters rendered too."""
    entry = CATALOGUE[key]
    return render_template(entry.get(lang) or entry["en"], lang, **params)


def render_template(text: str, lang: str = "en", **params: Any) -> str:
    """A template of the catalogue (or a part of one) in `lang`, rendered as `render` does."""
    values = {k: v.render(lang) if isinstance(v, (Diagnosis, Phrase)) else v
              for k, v in params.items()}
    text = text.format(**values)
    if lang == "zh":
        # The catalogue's spacing, where a value meets the text around it: a space between
        # Chinese and Latin text ("由 2 个 NumPy 数组", "linreg(X) 的形状"), none between two
        # Chinese characters ("返回了形状为 () 的张量").
        text = _SPACE_BETWEEN_HAN.sub("", text)
        text = _HAN_NEXT_TO_LATIN.sub(" ", text)
    return text


_HAN = "\u4e00-\u9fff"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}]) (?=[{_HAN}])")
_HAN_NEXT_TO_LATIN = re.compile(rf"(?<=[{_HAN}])(?=[A-Za-z0-9(\[])|(?<=[A-Za-z0-9)\]])(?=[{_HAN}])")


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The reader's language, found as GNU gettext finds it: zh or en.

    The locale of messages is the first of LC_ALL, LC_MESSAGES and LANG that is set.
    LANGUAGE, a colon-separated list of preferences, comes before it, except where that
    locale is "C" or "POSIX" (or nothing is set): gettext ignores LANGUAGE there, so that
    the C locale keeps the program's own messages. C.UTF-8, the locale of many containers,
    is not "C" to gettext: LANGUAGE counts there (glibc's programs answer in it). Of LANGUAGE's entries the first that
    is Chinese or English wins; one in another language is passed over.
    """
    environ = os.environ if environ is None else environ
    messages_locale = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG")
                            if environ.get(v)), "")
    if messages_locale and not _is_c_locale(messages_locale):
        for entry in environ.get("LANGUAGE", "").split(":"):
            language = _language_of(entry)
            if language:
                return language
    if messages_locale:
        return _language_of(messages_locale) or "en"
    return _language_of(locale.getlocale()[0] or "") or "en"


def _is_c_locale(name: str) -> bool:
    return name in ("C", "POSIX")


def _language_of(locale_name: str) -> str | None:
    """The language of a locale name ("zh_CN.UTF-8", "zh", "en_US"): zh, en, or None."""
    name = locale_name.strip().lower()
    code = name[:2]
    return code if code in LANGUAGES and name[2:3] in ("", "_", ".", "@", "-") else None
