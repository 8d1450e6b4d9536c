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
        "en": "grade one module or one function, named as in the table",
        "zh": "只评一个模块或一个函数，名称与表格中的相同",
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
    "reduction.mean": {"en": "mean", "zh": "平均值"},
    "reduction.sum": {"en": "sum", "zh": "总和"},
    # -- activations -----------------------------------------------------------------
    "part.value": {"en": "values", "zh": "函数值"},
    "part.gradient": {"en": "gradients", "zh": "梯度"},
    # -- language model samplers -----------------------------------------------------
    # -- concise implementation ------------------------------------------------------
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
    # -- test names: test.<module>.<test function>; en is the test's docstring --------
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
    "feedback.cut.text": {
        "en": "[cut here: the page shows at most {limit} characters of each text your code "
              "printed or raised, and {total} in all]",
        "zh": "［此处截断：本页对你的代码输出或抛出的每段文字最多显示 {limit} 个字符，"
              "总共最多 {total} 个］",
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
    # -- the contracts: each stub's docstring in Chinese ------------------------------
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

# -- the exercises' registry: a pack that cannot be used costs its own modules only ----
REGISTRY: dict[str, dict[str, str]] = {
    "exercise.mistake.broken": {
        "en": "the classic mistake {name} cannot be applied to the reference: {error}",
        "zh": "经典错误 {name} 无法套用到参考答案上：{error}",
    },
    "exercise.mistake.missed": {
        "en": "the classic mistake {name} does not get its diagnosis {key} (it got: {got})",
        "zh": "经典错误 {name} 没有得到它的诊断 {key}（得到的是：{got}）",
    },
    "exercise.message.english": {
        "en": "{file}: the Chinese of {key} holds English words: {words}",
        "zh": "{file}：{key} 的中文里有英文单词：{words}",
    },
    "exercise.notebook.broken": {
        "en": "the nbgrader notebook ({lang_code}) does not build: {error}",
        "zh": "`nbgrader` 笔记本（{lang_code}）无法生成：{error}",
    },
    "exercise.notebook.points": {
        "en": "the notebook's test cells are worth {points:g} points, the reference gets "
              "{max_score:g}",
        "zh": "笔记本测试单元共 {points:g} 分，而参考答案得到 {max_score:g} 分",
    },
    "exercise.pack.clash": {
        "en": "{file}: the module {module} is already defined by {other}; this one is not graded.",
        "zh": "{file}：模块 {module} 已由 {other} 定义；这一个不参与评分。",
    },
    "exercise.pack.procedure_clash": {
        "en": "{file}: the worker procedure {name} is already defined by {other}; this "
              "module is not graded.",
        "zh": "{file}：学生进程中的过程 {name} 已由 {other} 定义；这个模块不参与评分。",
    },
    "exercise.pack.not_a_pack": {
        "en": "{file} is not an exercise pack: it has no exercises/ folder.",
        "zh": "{file} 不是练习包：其中没有 exercises/ 文件夹。",
    },
    "exercise.pack.entry_point": {
        "en": "The installed exercise pack {name} could not be loaded: {error}",
        "zh": "无法加载已安装的练习包 {name}：{error}",
    },
    "exercise.pack.bad_name": {
        "en": "{file}: an exercise module's name must be a lower-case Python name; it is not "
              "graded.",
        "zh": "{file}：练习模块的名称必须是小写的 Python 名称；它不参与评分。",
    },
    "exercise.pack.missing": {
        "en": "{file} is missing: the module {module} is not graded.",
        "zh": "缺少 {file}：模块 {module} 不参与评分。",
    },
    "exercise.pack.suite": {
        "en": "{file} cannot be imported ({error}): its module is not graded.",
        "zh": "无法导入 {file}（{error}）：它的模块不参与评分。",
    },
    "exercise.pack.import": {
        "en": "{file} cannot be imported ({error}): its module is not graded.",
        "zh": "无法导入 {file}（{error}）：它的模块不参与评分。",
    },
    "exercise.pack.message_clash": {
        "en": "{file}: the message {key} is one of the grader's own; the grader's is used.",
        "zh": "{file}：消息 {key} 与评分器自身的消息同名；使用评分器自己的。",
    },
    "exercise.pack.no_message": {
        "en": "{file} has no {language} message {key}: the test's own name is shown instead.",
        "zh": "{file} 没有 {language} 消息 {key}：改为显示测试自己的名称。",
    },
    "exercise.pack.reference_fails": {
        "en": "{file} fails its own suite ({tests}): the module {module} is not graded.",
        "zh": "{file} 没有通过它自己的测试（{tests}）：模块 {module} 不参与评分。",
    },
    "exercise.language.en": {"en": "English", "zh": "英文"},
    "exercise.language.zh": {"en": "Chinese", "zh": "中文"},
    "message.fallback": {
        "en": "{test} (the exercise has no {language} message for this: {key})",
        "zh": "{test}（这个练习没有相应的{language}消息：{key}）",
    },
    "report.remarks": {"en": "Remarks:", "zh": "说明："},
    "report.not_handed_in": {
        "en": "Not handed in, and not counted: {files}. Grade with --assignment to count an "
              "assignment's modules.",
        "zh": "未提交，不计分：{files}。用 --assignment 评分可把一次作业的所有模块计入。",
    },
    "cli.metavar.assignment": {"en": "NAME", "zh": "作业名"},
    "cli.metavar.pack": {"en": "PACK", "zh": "练习包"},
    "cli.help.assignment": {
        "en": "grade one assignment of the course (Task01, Task02, ...): its modules, each "
              "one counted; by default, the modules the folder holds",
        "zh": "只评课程中的一次作业（Task01、Task02 等）：它的每个模块都计分；默认评文件夹中已有的模块",
    },
    "instructor.help.assignment": {
        "en": "only this assignment of the course (Task01, Task02, ...): its modules",
        "zh": "只用课程中的这次作业（Task01、Task02 等）：它的各个模块",
    },
    "instructor.help.exercise_new": {
        "en": "write a working exercise to start from: a function, its reference, two tests, "
              "both languages",
        "zh": "写出一个可以直接使用的练习作为起点：一个函数、它的参考答案、两个测试和两种语言的消息",
    },
    "instructor.help.new_in": {
        "en": "the pack folder to write it into (default: the current folder)",
        "zh": "写入哪个练习包文件夹（默认：当前文件夹）",
    },
    "instructor.help.check_pack": {
        "en": "a pack folder: check its exercises (default: the built-in ones)",
        "zh": "练习包文件夹：检查其中的练习（默认：内置练习）",
    },
    "instructor.bad_module_name": {
        "en": "{name} is not a lower-case Python name (letters, digits and _)",
        "zh": "{name} 不是小写的 Python 名称（字母、数字和 _）",
    },
    "instructor.exercise_new_next": {
        "en": "\nNext: `autograder exercise check {pack} --module {name}`",
        "zh": "\n下一步：`autograder exercise check {pack} --module {name}`",
    },
    "cli.help.exercises": {
        "en": "a folder of exercises (a pack) to grade with, beside the built-in ones; "
              "may be given more than once",
        "zh": "除内置练习外，再用这个练习文件夹（练习包）评分；可多次给出",
    },
    "cli.unknown_assignment": {
        "en": "there is no assignment {name} (choose from {choices})",
        "zh": "没有名为 {name} 的作业（可选：{choices}）",
    },
}
CATALOGUE.update(REGISTRY)
# The engine's own keys: a unit may not redefine them (autograder.registry).
ENGINE_KEYS = frozenset(CATALOGUE)


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


def render(key: str, lang: str = "en", /, **params: Any) -> str:
    """The message `key` in `lang`, with nested Diagnosis parameters rendered too.

    An exercise's messages are in its unit: they join the catalogue when the registry
    first reads the units. A key no unit defines is named as such, never a crash."""
    entry = CATALOGUE.get(key)
    if entry is None:
        from autograder import registry

        registry.names()  # reads the units' messages into the catalogue
        entry = CATALOGUE.get(key)
    text = entry and (entry.get(lang) or entry.get("en"))
    if not text:
        return render_template(CATALOGUE["message.fallback"][lang], lang, test=key, key=key,
                               language=render("exercise.language." + lang, lang))
    try:
        return render_template(text, lang, **params)
    except (KeyError, IndexError, ValueError):  # a unit's template and its values disagree
        return render_template(CATALOGUE["message.fallback"][lang], lang, test=text, key=key,
                               language=render("exercise.language." + lang, lang))


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
