# SPDX-License-Identifier: GPL-2.0-only
#
# tdxctl.py - sos report plugin for Intel TDX hosts managed by tdxctl.
#
# Install as <python3 site-packages>/sos/report/plugins/tdxctl.py (Debian:
# /usr/lib/python3/dist-packages/sos/report/plugins/tdxctl.py); sos finds
# its plugins only in that package directory.  Written against sos 4.0
# (Debian bookworm's sosreport).
#
#   sos report --only-plugins tdxctl          just this plugin
#   sos report -k tdxctl.binary=/opt/bin/tdxctl
#   sos report -k tdxctl.diag=off             no support bundle
#   sos report -k tdxctl.unredacted=on        bundle with identifying data
#
# What it collects, under sos_commands/tdxctl/:
#   tdxctl_status_--json_--cpus   status of the driver, TDX module, CPUs
#   tdxctl_check_--json_-v        prerequisite checks with their evidence
#   tdxctl_version_--json         tool, schema and driver ABI versions
#   tdxctl-diag.tar.gz            'tdxctl diag' bundle (replays offline with
#                                 'tdxctl --sysroot DIR status'); the
#                                 command's own report: tdxctl_diag
# and the files /sys/module/tdxctl/parameters/*,
# /sys/module/kvm_intel/parameters/tdx and /sys/devices/faux/tdx_host/*
# (the TDX host device of Linux 7.2).  The kernel log's TDX lines are in
# the kernel and logs plugins' output.
#
# sos runs commands with its policy's PATH (Debian: /usr/sbin:/usr/bin:
# /sbin:/bin:...:/usr/local/sbin:/usr/local/bin), not the caller's: a
# tdxctl elsewhere is named with -k tdxctl.binary=PATH.  With sos's
# --sysroot, tdxctl runs on this system with --sysroot=SYSROOT (it reads
# sysfs, proc, dev and the kernel log under it) instead of chrooted.
#
# The JSON commands keep their output even when they fail: on a host
# without TDX or without the driver, status exits 4 ("not supported") and
# still prints its JSON document, which is what support needs to see.
#
# Redaction: 'tdxctl diag' redacts identifying data itself (DMI serials and
# UUIDs, hostname and domain, user names, MAC and IP addresses in the log,
# the kernel command line and module parameters) unless --no-redact.  sos's
# own cleaner ('sos report --clean', 'sos clean') obfuscates hostnames, IP
# and MAC addresses and keywords in the text files of the archive, so it
# covers the JSON outputs above, but it cannot look inside the compressed
# diag bundle (it leaves it intact: 'tdxctl diag --verify' still accepts
# it, tests/unit/sos.sh).  The bundle therefore stays redacted by tdxctl
# by default, whether or not --clean is used; -k tdxctl.unredacted=on
# passes --no-redact for a support case that needs the raw identifiers
# (that bundle is then NOT covered by --clean).

import os
import shlex

from sos.report.plugins import (Plugin, IndependentPlugin, DebianPlugin,
                                UbuntuPlugin, RedHatPlugin)


# IndependentPlugin alone is not enough: sos 4.0's Debian policy replaces
# the list of valid plugin classes with [DebianPlugin] (a class attribute
# shadowing the property that adds IndependentPlugin), so bookworm's sos
# would not even list a plugin tagged only IndependentPlugin.
class Tdxctl(Plugin, IndependentPlugin, DebianPlugin, UbuntuPlugin,
             RedHatPlugin):

    short_desc = 'Intel TDX host state (tdxctl)'

    plugin_name = 'tdxctl'
    profiles = ('virt', 'hardware')

    packages = ('tdxctl',)
    commands = ('tdxctl',)
    files = (
        '/dev/tdx_host',
        '/sys/module/tdxctl',
        '/sys/devices/faux/tdx_host',
    )

    option_list = [
        ('binary', 'the tdxctl executable to run', 'fast', 'tdxctl'),
        ('diag', 'collect a tdxctl diag support bundle', 'fast', True),
        ('unredacted', 'diag bundle without tdxctl redaction (--no-redact)',
         'fast', False),
    ]

    # every tdxctl command reads a few hundred files at most; diag reads
    # the same files plus the kernel log, and compresses them
    json_timeout = 60
    diag_timeout = 180

    def check_enabled(self):
        # also a TDX-capable host with neither the tool nor the driver yet:
        # the CPU flag the kernel sets when the BIOS enabled TDX
        if super(Tdxctl, self).check_enabled():
            return True
        try:
            with open('/proc/cpuinfo') as cpuinfo:
                for line in cpuinfo:
                    if line.startswith('flags'):
                        return 'tdx_host_platform' in line.split()
        except (IOError, OSError):
            pass
        return False

    def setup(self):
        tdxctl = self.get_option('binary') or 'tdxctl'
        # sos --sysroot (sos in a container with the host at /host, or on a
        # rescue system): sos would chroot into it, where tdxctl may not be
        # installed; tdxctl reads sysfs, proc, dev and the kernel log under
        # its own --sysroot instead, so run this system's tdxctl with it
        sysroot = self.sysroot or '/'
        chroot = True
        if sysroot != '/':
            tdxctl += ' --sysroot=%s' % shlex.quote(sysroot)
            chroot = False

        # stdout only: each file is one JSON document (stderr has the
        # human-readable errors and hints, which the JSON also carries);
        # stable file names whatever the binary's path
        for args in ('status --json --cpus', 'check --json -v',
                     'version --json'):
            self.add_cmd_output('%s %s' % (tdxctl, args),
                                suggest_filename='tdxctl_' +
                                args.replace(' ', '_'),
                                stderr=False, chroot=chroot,
                                timeout=self.json_timeout)

        self.add_copy_spec([
            '/sys/module/tdxctl/parameters/*',
            '/sys/module/kvm_intel/parameters/tdx',
            '/sys/devices/faux/tdx_host/*',
        ])

        if self.get_option('diag'):
            # written by tdxctl straight into this plugin's directory of the
            # archive (sos_commands/tdxctl/tdxctl-diag.tar.gz); its report
            # (files, bytes, redaction on or off) is tdxctl_diag
            outdir = self.get_cmd_output_path(make=False)
            try:
                os.makedirs(outdir)
            except OSError:
                pass  # already there
            cmd = '%s diag -o tdxctl-diag.tar.gz' % tdxctl
            if self.get_option('unredacted'):
                cmd += ' --no-redact'
            self.add_cmd_output(cmd, suggest_filename='tdxctl_diag',
                                runat=outdir, chroot=chroot,
                                timeout=self.diag_timeout)

# vim: set et ts=4 sw=4 :
