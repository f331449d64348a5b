// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_redact.c - diag's redaction, rule by rule: every identifier kind in
 * every form it takes is replaced, and the words verdicts are read from
 * stay, even when the host or a user is named tdx, kvm, vmx or tdx_host.
 */
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "tap.h"

static struct redactor R;

static void host(const char *h, const char *user)
{
	redact_free(&R);
	redact_set_host(&R, h, NULL);
	if (user) {
		R.users = malloc(sizeof(*R.users));
		R.users[0] = strdup(user);
		R.nusers = 1;
	}
}

/* in, redacted as text of path, is want */
static void is(const char *path, const char *in, const char *want, const char *what)
{
	size_t c[REDACT_NCOUNTS] = { 0 }, len = strlen(in);
	char *buf = strdup(in);

	redact_text(&R, redact_format(path), &buf, &len, c);
	is_str(buf, want, "%s (%s, host %s)", what, path, R.hostname[0] ? R.hostname : "-");
	free(buf);
}

#define KMSG "dev/kmsg"
#define CMDLINE "proc/cmdline"

/* in, redacted as kernel log text, counts exactly want[] per kind (-1: 0) */
static void counts(const char *in, const size_t want[REDACT_NCOUNTS], const char *what)
{
	size_t c[REDACT_NCOUNTS] = { 0 }, len = strlen(in);
	char *buf = strdup(in);
	int same = 1;

	redact_text(&R, RF_TEXT, &buf, &len, c);
	for (int k = 0; k < REDACT_NCOUNTS; k++)
		if (c[k] != want[k]) {
			same = 0;
			printf("#   count %d: %zu, wanted %zu\n", k, c[k], want[k]);
		}
	ok(same, "counts: %s", what);
	free(buf);
}

/* several users: each one is redacted, not only the first */
static void users(const char *const *names, size_t n)
{
	redact_free(&R);
	redact_set_host(&R, "zqhost7", NULL);
	R.users = calloc(n, sizeof(*R.users));
	for (size_t k = 0; k < n; k++)
		R.users[k] = strdup(names[k]);
	R.nusers = n;
}

/* a DMI secret in slot k (every slot diag fills): a bare word that goes */
static void secret(size_t k, const char *v)
{
	redact_free(&R);
	redact_set_host(&R, "h0", NULL);
	R.secret[k] = strdup(v);
	R.secret_name[k] = "serial";
}

int main(void)
{
	plan(46 + 5 + 1 + 2 + REDACT_NSECRET + 2);

	/* where: the format of each path */
	ok(redact_format("proc/cpuinfo") == RF_NONE, "cpuinfo is evidence, never rewritten");
	ok(redact_format("/proc/cmdline") == RF_CMDLINE, "proc/cmdline is key=value words");
	ok(redact_format("sys/module/kvm/parameters/tdx") == RF_CMDLINE, "module parameters too");
	ok(redact_format("dev/kmsg") == RF_TEXT, "the kernel log is text");
	ok(redact_format("tdxctl/check.json") == RF_TEXT, "the captured JSON is text");
	ok(redact_format("sys/devices/faux/tdx_host/version") == RF_NONE, "a sysfs value is evidence");

	/* hosts named like the vocabulary: verdict text stays */
	host("tdx", "kvm");
	is(KMSG, "6,1,2,-;virt/tdx: module initialized", "6,1,2,-;virt/tdx: module initialized", "virt/tdx: lines stay");
	is(KMSG, "6,1,2,-;tdx: 1 TDX module", "6,1,2,-;tdx: 1 TDX module", "a tdx: prefix stays");
	is(KMSG, "kvm: disabled by bios", "kvm: disabled by bios", "kvm: lines stay (user kvm)");
	is(KMSG, "systemd[1]: Hostname set to <tdx>.", "systemd[1]: Hostname set to <REDACTED-HOSTNAME>.",
	   "Hostname set to <X> is a hostname field");
	is(KMSG, "img /home/kvm/a.img", "img /home/REDACTED-USER/a.img", "/home/NAME is a user field");
	is("proc/cpuinfo", "flags\t\t: vmx tdx_host_platform", "flags\t\t: vmx tdx_host_platform", "cpuinfo untouched");
	is(CMDLINE, "ro ip=10.1.2.3::10.1.2.1:255.255.255.0:tdx:eth0:off kvm_intel.tdx=1",
	   "ro ip=xx.x.x.x::xx.x.x.x:xxx.xxx.xxx.x:REDACTED-HOSTNAME:eth0:off kvm_intel.tdx=1",
	   "ip=: addresses and the hostname field; kvm_intel.tdx=1 stays");
	host("vmx", "tdx_host");
	is(KMSG, "kvm_intel: vmx disabled on cpu 1", "kvm_intel: vmx disabled on cpu 1", "host vmx: a vmx word stays");
	is(KMSG, "tdxctl: /dev/tdx_host ready", "tdxctl: /dev/tdx_host ready", "user tdx_host: the device path stays");
	is(KMSG, "6,1,2,-;kvm: Hostname set to <vmx>.", "6,1,2,-;kvm: Hostname set to <REDACTED-HOSTNAME>.",
	   "host vmx: its hostname field goes");
	is("sys/module/kvm_intel/parameters/tdx", "Y", "Y", "a parameter's Y stays");
	host("initialized", "enabled");
	is(KMSG, "virt/tdx: BIOS enabled: private KeyID range [16, 64)\nvirt/tdx: module initialized",
	   "virt/tdx: BIOS enabled: private KeyID range [16, 64)\nvirt/tdx: module initialized",
	   "names that are words of the TDX log lines stay there");
	host("y", NULL);
	is(KMSG, "kvm: CONFIG_KVM=y, y", "kvm: CONFIG_KVM=y, y", "a one-letter host name is no bare word");

	/* a host name that is no word of ours: gone as a bare word too */
	host("zqhost7", "zquser9");
	is(KMSG, "kvm: TDX on zqhost7, by zquser9 (x)", "kvm: TDX on REDACTED-HOSTNAME, by REDACTED-USER (x)",
	   "bare host and user words");
	is(KMSG, "kvm: zqhost7s zquser9_x", "kvm: zqhost7s zquser9_x", "not inside another word");
	is(KMSG, "kvm: /home/ghost/x", "kvm: /home/REDACTED-USER/x", "/home/NAME of a user not in passwd");
	is(KMSG, "{\"p\": \"\\/home\\/ghost\"}", "{\"p\": \"\\/home\\/REDACTED-USER\"}", "an escaped /home/NAME in JSON");

	/* FQDNs: the host's, and any name in its domain */
	redact_free(&R);
	redact_set_host(&R, "node7.corp.example.net", NULL);
	is(KMSG, "nfs: node7.corp.example.net, node8.corp.example.net; corp.example.net.",
	   "nfs: REDACTED-HOSTNAME.REDACTED-DOMAIN, REDACTED-HOSTNAME.REDACTED-DOMAIN; REDACTED-DOMAIN.",
	   "the FQDN, a sibling and the domain itself");
	is(KMSG, "node7 booted", "REDACTED-HOSTNAME booted", "the short name of an FQDN");
	is(KMSG, "arch/x86/virt/vmx/tdx/tdx.c:42 example.net", "arch/x86/virt/vmx/tdx/tdx.c:42 example.net",
	   "a source path and a parent domain stay");
	redact_free(&R);
	redact_set_host(&R, "tdx", "lab.example.org");
	is(KMSG, "tdx.lab.example.org up, virt/tdx: ok", "REDACTED-HOSTNAME.REDACTED-DOMAIN up, virt/tdx: ok",
	   "domainname gives the FQDN of a host named tdx");

	/* MAC addresses in every form */
	host("h0", NULL);
	is(KMSG, "a 00:1b:21:aa:bb:cc b", "a XX:XX:XX:XX:XX:XX b", "MAC with ':'");
	is(KMSG, "a 00-1B-21-AA-BB-CC b", "a XX-XX-XX-XX-XX-XX b", "MAC with '-', upper case");
	is(KMSG, "a 001b21aabbcc b", "a XXXXXXXXXXXX b", "MAC as 12 hex digits");
	is(KMSG, "a 001b.21aa.bbcd b", "a XXXX.XXXX.XXXX b", "MAC as Cisco dotted");
	is(KMSG, "ib 80:00:02:08:fe:80:00:00:00:00:00:00:00:1b:21:aa:bb:cc:dd:ee.",
	   "ib XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX:XX.", "IPoIB 20-byte hardware address");
	is(KMSG, "eui 02:1b:21:ff:fe:aa:bb:cc", "eui XX:XX:XX:XX:XX:XX:XX:XX", "EUI-64");
	is(CMDLINE, "BOOTIF=01-00-1b-21-aa-bb-cc ro", "BOOTIF=XX-XX-XX-XX-XX-XX-XX ro", "PXE BOOTIF (type and MAC)");

	/* IP addresses, UUIDs */
	is(KMSG, "peer 198.51.100.7:8443 up", "peer xxx.xx.xxx.x:8443 up", "ip:port");
	is(KMSG, "peer [2001:db8::77]:443", "peer [xxxx:xxx::xx]:443", "[IPv6]:port");
	is(KMSG, "uuid 3F2504E0-4F89-11D3-9A0C-0305E82C3301.", "uuid REDACTED-UUID.", "an upper-case UUID");
	is(KMSG, "uuid 3f2504e0-4f89-11d3-9a0c-0305e82c3301", "uuid REDACTED-UUID", "a lower-case UUID");
	is(CMDLINE, "BOOT_IMAGE=/home/al/vmlinuz root=UUID=3F2504E0-4F89-11D3-9A0C-0305E82C3301 ro",
	   "BOOT_IMAGE=/home/REDACTED-USER/vmlinuz root=UUID=REDACTED-UUID ro", "cmdline: home path and root UUID");
	is("sys/module/nfs/parameters/callback_addr", "198.51.100.9", "xxx.xx.xxx.x", "a module parameter's address");

	/* what verdicts and support read stays */
	is(KMSG, "at 10:36:12, 0000:00:1f.2 v1.5.08 1.5.6.0x",
	   "at 10:36:12, 0000:00:1f.2 v1.5.08 1.5.6.0x", "a time, a PCI address, versions");
	is(KMSG, "status 0xc0000a1000000000 leaf 0x0000001b21aabbcc",
	   "status 0xc0000a1000000000 leaf 0x0000001b21aabbcc", "0x hex numbers");
	is("tdxctl/diag.json", "\"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
	   "\"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", "a SHA-256");
	is(KMSG, "TDX module 1.5.06.00.0744, KeyIDs [16, 64)", "TDX module 1.5.06.00.0744, KeyIDs [16, 64)",
	   "a TDX module version");
	is("proc/cpuinfo", "model name : 00:1b:21:aa:bb:cc", "model name : 00:1b:21:aa:bb:cc",
	   "evidence files are never rewritten");
	is(KMSG, "", "", "empty text");

	/* every form of every kind, and what each is counted as */
	is(KMSG, "lease fe80::1 up", "lease xxxx::x up", "a short IPv6 address (two ':')");
	is(KMSG, "dhcp 192.0.2.10.", "dhcp xxx.x.x.xx.", "an IPv4 address ending a sentence");
	is(KMSG, "audit: acct=\"zqadmin\" res=ok", "audit: acct=\"REDACTED-USER\" res=ok", "acct=\"NAME\"");
	is(KMSG, "systemd-hostnamed: Changed host name to 'zqbox'", "systemd-hostnamed: Changed host name to "
	   "'REDACTED-HOSTNAME'", "host name to 'X'");
	is(CMDLINE, "ro hostname=zqbox quiet", "ro hostname=REDACTED-HOSTNAME quiet", "hostname=X on the command line");
	{
		static const char *const names[] = { "zqalice", "zqbob", "zqcarol" };

		users(names, 3);
		is(KMSG, "kvm: zqcarol, zqbob and zqalice", "kvm: REDACTED-USER, REDACTED-USER and REDACTED-USER",
		   "every login name, not only the first");
	}
	for (size_t k = 0; k < REDACT_NSECRET; k++) {
		char in[64];
		size_t want[REDACT_NCOUNTS] = { 0 };

		secret(k, k % 2 ? "ZQ4711" : "ZQ47-1188-AB");
		snprintf(in, sizeof(in), "kvm: serial %s seen", R.secret[k]);
		want[RK_NKINDS + k] = 1;
		if (k == 0 || k == REDACT_NSECRET - 1)
			is(KMSG, in, "kvm: serial REDACTED seen", "a DMI secret (first and last slot)");
		counts(in, want, "a DMI secret counted in its own slot");
	}
	redact_free(&R);
	redact_set_host(&R, "node7.corp.example.net", NULL);
	{
		size_t want[REDACT_NCOUNTS] = { 0 };

		want[RK_HOSTNAME] = 2;	/* node7.corp.example.net, node7 */
		want[RK_DOMAIN] = 1;
		want[RK_MAC] = 1;
		want[RK_IPV4] = 2;
		want[RK_IPV6] = 1;
		want[RK_UUID] = 1;
		counts("nfs node7.corp.example.net corp.example.net node7 00:1b:21:aa:bb:cc 10.0.0.1 "
		       "fe80::1 3f2504e0-4f89-11d3-9a0c-0305e82c3301 ip 10.0.0.2", want, "one of each kind");
	}
	{
		size_t want[REDACT_NCOUNTS] = { 0 };

		want[RK_HOSTNAME] = 1;
		want[RK_IPV4] = 2;
		counts("ip=10.1.2.3::10.1.2.1::zqbox:eth0:off", want, "ip=: the hostname field and two addresses");
	}

	redact_free(&R);
	return tap_done();
}
