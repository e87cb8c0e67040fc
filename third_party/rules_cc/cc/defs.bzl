"""Offline stand-in for @rules_cc//cc:defs.bzl: forwards to the native rules.

Bazel 4.2.3's @bazel_tools loads these names from @rules_cc; Debian's
bazel-rules-cc package is too new for that Bazel (it needs
use_cpp_toolchain), so we keep this small forwarder instead.
"""

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)
