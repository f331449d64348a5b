#!/bin/bash
# tools/mutants.sh: mutation testing of the test suites.  Each mutant in
# tools/mutants/ is a deliberate, realistic bug (a unified diff with a
# header, see below).  The script applies one mutant at a time to a scratch
# copy of the working tree (uncommitted changes included, build*/ left
# out), builds it for a kernel line (default 6.1, one build dir reused for
# every mutant so rebuilds are incremental), runs the tests the mutant names
# and reports it caught (a test that passed on the unmutated tree fails) or
# survived.  Not part of CI: a full run boots many guests and takes hours.
#
# usage: tools/mutants.sh [OPTIONS] [--only NAME...]
#   --list           list the mutants (name, what they break, catching tests)
#   --only NAME...   run only these mutants (name, NN, NN-name or a glob)
#   --quick          vm tests run only the cases a mutant's Quick: line names
#                    (one guest boot with those cases, not the whole group)
#   --tests GLOBS    of the tests a mutant names, run only these (comma-
#                    separated names or globs, e.g. smp2-mem1024-max4)
#   --build-only     apply and build each mutant, run no test
#   --no-baseline    do not run the named tests on the unmutated tree first
#                    (then any failure counts as a catch)
#   --line LINE      kernel line to build and boot (default 6.1)
#   --cache DIR      kernel cache (default $TDXCTL_CACHE or /var/cache/tdxctl)
#   --keep           keep the scratch dir (sources, build dir, logs)
#   -h, --help       this text
#
# Exit status: 0 every mutant caught (with --build-only: every mutant
# builds); 1 a mutant survived, or a test it names does not exist; 3 a
# mutant does not apply any more or does not build (the mutant needs
# fixing: a build break is not a catch); 2 usage or setup error.
#
# A mutant file tools/mutants/NN-name.patch starts with header lines, then
# a diff applied with patch -p1 (no fuzz: a mutant that no longer applies
# is reported, never skipped):
#   Mutant: name
#   Area: what part of the code
#   Breaks: what the bug does
#   Catch: tests that must catch it: meson test names or globs (as
#          'meson test --list' prints them: cli, sparse, smp4-mem1024,
#          *-sock2*), or suite:NAME (suite:unit)
#   Quick: GROUP=case,case ...   (optional) the vm cases that catch it,
#          used by --quick
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mutdir=$root/tools/mutants
line=6.1
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}
list=0 quick=0 build_only=0 baseline=1 keep=0 tests_filter=
only=()

usage() { sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "mutants: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--list) list=1 ;;
	--quick) quick=1 ;;
	--build-only) build_only=1 ;;
	--no-baseline) baseline=0 ;;
	--keep) keep=1 ;;
	--tests) [ $# -ge 2 ] || die "--tests needs a value"; tests_filter=$2; shift ;;
	--line) [ $# -ge 2 ] || die "--line needs a value"; line=$2; shift ;;
	--cache) [ $# -ge 2 ] || die "--cache needs a value"; cache=$2; shift ;;
	--only)
		shift
		while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do only+=("$1"); shift; done
		[ ${#only[@]} -gt 0 ] || die "--only needs at least one mutant name"
		continue ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

# ---- the mutants ----

field() { sed -n "s/^$2: //p" "$1" | head -n 1; }
mname() { local b; b=$(basename "$1" .patch); echo "${b#[0-9][0-9]-}"; }

all=()
for f in "$mutdir"/[0-9][0-9]-*.patch; do
	[ -f "$f" ] || continue
	n=$(field "$f" Mutant)
	[ "$n" = "$(mname "$f")" ] || die "$f: 'Mutant: $n' does not match the file name"
	[ -n "$(field "$f" Catch)" ] || die "$f: no 'Catch:' line"
	grep -q '^+++ b/' "$f" || die "$f: no diff"
	all+=("$f")
done
[ ${#all[@]} -gt 0 ] || die "no mutants in $mutdir"
set -f	# from here on, words are never file name patterns (Catch: *-sock2*)

sel=()
if [ ${#only[@]} -eq 0 ]; then
	sel=("${all[@]}")
else
	for pat in "${only[@]}"; do
		hit=0
		for f in "${all[@]}"; do
			b=$(basename "$f" .patch) n=$(mname "$f")
			# shellcheck disable=SC2053
			if [[ $n == $pat || $b == $pat || ${b%%-*} == "$pat" ]]; then
				case " ${sel[*]} " in *" $f "*) ;; *) sel+=("$f") ;; esac
				hit=1
			fi
		done
		[ "$hit" = 1 ] || die "no mutant matches '$pat' (see --list)"
	done
fi

if [ "$list" = 1 ]; then
	for f in "${sel[@]}"; do
		b=$(basename "$f" .patch)
		printf '%s  [%s]\n' "$b" "$(field "$f" Area)"
		field "$f" Breaks | fold -s -w 84 | sed '1s/^/    breaks:    /; 2,$s/^/               /'
		printf '    caught by: %s\n' "$(field "$f" Catch)"
		q=$(field "$f" Quick)
		[ -n "$q" ] && printf '    --quick:   %s\n' "$q"
	done
	echo "${#sel[@]} mutants"
	exit 0
fi

# ---- helpers in Python: meson's test log, TAP, quick guest runs, verdicts ----

read -r -d '' PY <<'EOF'
import fnmatch, json, os, re, subprocess, sys

NOTOK = re.compile(r'^not ok\b\s*\d*\s*(?:-\s*)?(.*)$')

def norm(desc):
    """a failure's description, numbers left out (counts and times vary)"""
    return re.sub(r'\d+', '#', desc)

def tap_failures(text):
    """not ok lines that count (TODO and SKIP directives do not)"""
    out = []
    for ln in text.splitlines():
        m = NOTOK.match(ln.rstrip('\r'))
        if not m:
            continue
        if re.search(r'#\s*(TODO|SKIP)\b', m.group(1), re.I):
            continue
        out.append((ln.strip(), m.group(1).strip()))
    return out

def save(outdir, test, result, text):
    os.makedirs(outdir, exist_ok=True)
    fails = tap_failures(text)
    with open(os.path.join(outdir, test + '.json'), 'w') as f:
        json.dump({'result': result, 'notok': [d for _, d in fails],
                   'lines': [l for l, _ in fails],
                   'tail': text.splitlines()[-15:]}, f)

def cmd_parse_log(log, outdir):
    """meson's LOGBASE.json: one result file per test"""
    with open(log) as f:
        for raw in f:
            try:
                d = json.loads(raw)
            except ValueError:
                continue
            name = d.get('name', '').split(' / ')[-1]
            text = (d.get('stdout') or '') + '\n' + (d.get('stderr') or '')
            save(outdir, name, d.get('result', 'ERROR'), text)

def cmd_list(listfile):
    """meson test --list -> NAME<TAB>SUITE,SUITE"""
    for ln in open(listfile):
        ln = ln.strip()
        if ' / ' not in ln:
            continue
        head, name = ln.rsplit(' / ', 1)
        suites = head.split(':', 1)[-1].split('+')
        print(name + '\t' + ','.join(suites))

def cmd_resolve(listfile, *tokens):
    """Catch: tokens -> test names, one per line; exit 1 if a token matches none"""
    tests = []
    for ln in open(listfile):
        name, suites = ln.rstrip('\n').split('\t')
        tests.append((name, suites.split(',')))
    out, bad = [], []
    for t in tokens:
        if t.startswith('suite:'):
            hit = [n for n, s in tests if t[6:] in s]
        else:
            hit = [n for n, s in tests if fnmatch.fnmatchcase(n, t)]
        if not hit:
            bad.append(t)
        out += [h for h in hit if h not in out]
    for n in out:
        print(n)
    if bad:
        print('no test matches: ' + ' '.join(bad), file=sys.stderr)
        sys.exit(1)

def cmd_quick(builddir, test, cases, outdir):
    """one guest boot of vm test TEST with only CASES (comma list)"""
    intro = json.loads(subprocess.run(['meson', 'introspect', '--tests', builddir],
                                      check=True, capture_output=True, text=True).stdout)
    t = next((x for x in intro if x['name'] == test), None)
    if t is None:
        sys.exit('quick: no test ' + test)
    cmd = list(t['cmd'])
    if '--cases' not in cmd:
        sys.exit('quick: %s takes no --cases' % test)
    i = cmd.index('--cases') + 1
    have = cmd[i].split(',')
    want = [c for c in cases.split(',') if c]
    missing = [c for c in want if c not in have]
    if missing:
        sys.exit('quick: %s has no case %s' % (test, ','.join(missing)))
    cmd[i] = ','.join(c for c in have if c in want)
    env = dict(os.environ)
    env.update(t.get('env') or {})
    tag = test + '[' + cmd[i] + ']'
    try:
        p = subprocess.run(cmd, env=env, cwd=t.get('workdir') or builddir,
                           capture_output=True, text=True,
                           timeout=(t.get('timeout') or 600) or None)
        text, rc = p.stdout + '\n' + p.stderr, p.returncode
        result = 'OK' if rc == 0 and not tap_failures(p.stdout) and \
            re.search(r'^1\.\.\d+', p.stdout, re.M) else 'FAIL'
    except subprocess.TimeoutExpired as e:
        text, result = (e.stdout or b'').decode(errors='replace') if isinstance(e.stdout, bytes) \
            else (e.stdout or ''), 'TIMEOUT'
    with open(os.path.join(outdir, test + '.log'), 'w') as f:
        f.write(text)
    save(outdir, test, result, text)
    print(tag + ' ' + result)

def cmd_failures(resfile, n):
    """the first N failing lines of a result"""
    try:
        r = json.load(open(resfile))
    except OSError:
        print('    (no result)')
        return
    for l in r['lines'][:int(n)]:
        print('    ' + l)
    if not r['lines']:
        print('    %s: %s' % (r['result'], ' | '.join(x.strip() for x in r['tail'][-3:] if x.strip())[:300]))

def cmd_verdict(basedir, mutdir, *tests):
    """caught<TAB>line, or survived<TAB>why"""
    notes = []
    for t in tests:
        try:
            m = json.load(open(os.path.join(mutdir, t + '.json')))
        except OSError:
            notes.append(t + ': no result')
            continue
        if m['result'] in ('OK', 'EXPECTEDFAIL', 'SKIP'):
            continue
        try:
            b = json.load(open(os.path.join(basedir, t + '.json')))
        except OSError:
            b = {'result': 'OK', 'notok': []}
        known = set(norm(d) for d in b['notok'])
        for line, desc in zip(m['lines'], m['notok']):
            if norm(desc) not in known:
                print('caught\t%s: %s' % (t, line))
                return
        if b['result'] in ('OK', 'EXPECTEDFAIL', 'SKIP'):
            tail = ' | '.join(x.strip() for x in m['tail'][-3:] if x.strip())
            print('caught\t%s: %s (%s)' % (t, m['result'], tail[:300]))
            return
        notes.append('%s: failed, but as on the unmutated tree' % t)
    print('survived\t' + ('; '.join(notes) if notes else 'every named test passed'))

globals()['cmd_' + sys.argv[1].replace('-', '_')](*sys.argv[2:])
EOF
py() { python3 -c "$PY" "$@"; }

# ---- scratch copy, build dir ----

t0=$SECONDS
hms() { # hms SECONDS: 41s, 12m05s, 1h02m05s
	local s=$1
	if [ "$s" -lt 60 ]; then printf '%ds' "$s"
	elif [ "$s" -lt 3600 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60))
	else printf '%dh%02dm%02ds' $((s / 3600)) $((s % 3600 / 60)) $((s % 60)); fi
}
env_file=$cache/lines/$line.env
[ -f "$env_file" ] || die "kernel line $line is not prepared ($env_file missing; tools/prepare-kernels.sh $line)"
command -v patch >/dev/null || die "patch is not installed (apt-get install patch)"

work=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-mutants.XXXXXX") || die "mktemp failed"
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "mutants: scratch dir kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'echo "mutants: interrupted after $(hms $((SECONDS - t0)))" >&2; exit 130' INT TERM

mkdir -p "$work/pristine" "$work/logs"
tar -C "$root" --anchored --exclude='./build*' --exclude=./.git -cf - . |
	tar -C "$work/pristine" -xf - || die "copying the working tree failed"
cp -a "$work/pristine" "$work/src"
src=$work/src build=$work/build

echo "mutants: ${#sel[@]} of ${#all[@]} from tools/mutants, kernel line $line, scratch $work"
mapfile -t largs < <(
	# shellcheck source=/dev/null
	. "$env_file"
	printf '%s\n' "-Dkernel_dir=$KDIR" "-Dkbuild_chroot=$CHROOT" \
		"-Dguest_kernel=$IMAGE" "-Dguest_line=$LINE"
)
printf 'setup + build of the unmutated tree ... '
s=$SECONDS
meson setup "$build" "$src" -Dwerror=true -Dkmod=enabled -Dvm_tests=enabled "${largs[@]}" \
	> "$work/logs/setup.log" 2>&1 || { echo failed; tail -n 30 "$work/logs/setup.log"; die "meson setup failed"; }
ninja -C "$build" > "$work/logs/build-unmutated.log" 2>&1 ||
	{ echo failed; tail -n 30 "$work/logs/build-unmutated.log"; die "the unmutated tree does not build"; }
echo "ok ($(hms $((SECONDS - s))))"
meson test -C "$build" --no-rebuild --list > "$work/logs/tests.list" 2> "$work/logs/tests.list.err" ||
	{ cat "$work/logs/tests.list.err"; die "meson test --list failed"; }
py list "$work/logs/tests.list" > "$work/tests.tsv"

# ---- per mutant: which tests (and, with --quick, which cases) ----

declare -A tests_of quick_of
for f in "${sel[@]}"; do
	n=$(mname "$f")
	# shellcheck disable=SC2046
	if ! tl=$(py resolve "$work/tests.tsv" $(field "$f" Catch) 2> "$work/logs/$n.resolve"); then
		tests_of[$n]="!$(cat "$work/logs/$n.resolve")"
		continue
	fi
	if [ -n "$tests_filter" ]; then
		tl=$(for t in $tl; do
			for g in ${tests_filter//,/ }; do
				# shellcheck disable=SC2053
				[[ $t == $g ]] && { echo "$t"; break; }
			done
		done)
		[ -n "$tl" ] || { tests_of[$n]="!--tests $tests_filter leaves none of: $(field "$f" Catch)"; continue; }
	fi
	tests_of[$n]=$(echo $tl)
	quick_of[$n]=$(field "$f" Quick)
done

is_vm() {
	awk -F'\t' -v t="$1" '$1 == t && $2 ~ /(^|,)vm(,|$)/ { f = 1 } END { exit !f }' "$work/tests.tsv"
}
# cases_for MUTANT TEST: the --quick cases of TEST, or nothing (whole test)
cases_for() {
	local tok
	for tok in ${quick_of[$1]:-}; do
		[ "${tok%%=*}" = "$2" ] && { echo "${tok#*=}"; return; }
	done
}
# baseline_cases TEST: every case the selected mutants run of TEST, or
# nothing when one of them runs all of it
baseline_cases() {
	local k c acc=
	for k in "${!tests_of[@]}"; do
		case " ${tests_of[$k]} " in *" $1 "*) ;; *) continue ;; esac
		c=$(cases_for "$k" "$1")
		[ -n "$c" ] || return 0
		acc+=",$c"
	done
	tr ',' '\n' <<< "$acc" | grep . | sort -u | paste -sd,
}

# run_tests OUTDIR LOGBASE MUTANT|"" TESTS...: results in OUTDIR/TEST.json
run_tests() {
	local out=$1 base=$2 m=$3 t c; shift 3
	local meson_tests=()
	mkdir -p "$out"
	for t in "$@"; do
		c=
		if [ "$quick" = 1 ] && is_vm "$t"; then
			if [ -n "$m" ]; then
				c=$(cases_for "$m" "$t")
			else
				c=$(baseline_cases "$t")
			fi
		fi
		# a quick run that cannot start (a case renamed) runs the whole test
		if [ -z "$c" ] || ! py quick "$build" "$t" "$c" "$out" >> "$work/logs/$base.log" 2>&1; then
			meson_tests+=("$t")
		fi
	done
	if [ ${#meson_tests[@]} -gt 0 ]; then
		rm -f "$build/meson-logs/$base.json"
		meson test -C "$build" --no-rebuild --print-errorlogs --logbase "$base" \
			"${meson_tests[@]}" >> "$work/logs/$base.log" 2>&1
		[ -f "$build/meson-logs/$base.json" ] && py parse-log "$build/meson-logs/$base.json" "$out"
	fi
}

if [ "$build_only" = 0 ] && [ "$baseline" = 1 ]; then
	mapfile -t btests < <(for n in "${!tests_of[@]}"; do
		[ "${tests_of[$n]:0:1}" = '!' ] || tr ' ' '\n' <<< "${tests_of[$n]}"; done | sort -u)
	printf 'baseline: %s on the unmutated tree ... ' "${btests[*]}"
	s=$SECONDS
	run_tests "$work/baseline" baseline "" "${btests[@]}"
	echo "done ($(hms $((SECONDS - s))))"
	for t in "${btests[@]}"; do
		r=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' \
			"$work/baseline/$t.json" 2>/dev/null || echo missing)
		[ "$r" = OK ] && continue
		echo "  $t fails on the unmutated tree ($r); these failures cannot count as catches:"
		py failures "$work/baseline/$t.json" 5
	done
fi

# ---- the mutants, one at a time ----

caught=() survived=() broken=() stale=() untested=()
i=0
for f in "${sel[@]}"; do
	i=$((i + 1))
	n=$(mname "$f")
	s=$SECONDS
	printf '[%2d/%d] %s ... ' "$i" "${#sel[@]}" "$n"
	diff -rq "$work/pristine" "$src" > /dev/null || die "scratch tree differs from the snapshot before $n"
	mapfile -t files < <(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$f")

	if ! patch -d "$src" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch -r - \
		< "$f" > "$work/logs/$n.patch.log" 2>&1; then
		echo "DOES NOT APPLY"
		sed 's/^/    /' "$work/logs/$n.patch.log"
		stale+=("$n")
	elif ! ninja -C "$build" > "$work/logs/$n.build.log" 2>&1; then
		echo "BUILD-BROKEN ($(hms $((SECONDS - s))))"
		grep -E 'error|warning' "$work/logs/$n.build.log" | head -n 5 | sed 's/^/    /'
		broken+=("$n")
	elif [ "$build_only" = 1 ]; then
		echo "builds ($(hms $((SECONDS - s))))"
		caught+=("$n")
	elif [ "${tests_of[$n]:0:1}" = '!' ]; then
		echo "UNTESTED: ${tests_of[$n]:1}"
		untested+=("$n")
	else
		# shellcheck disable=SC2086
		run_tests "$work/runs/$n" "m-$n" "$n" ${tests_of[$n]}
		# shellcheck disable=SC2086
		v=$(py verdict "$work/baseline" "$work/runs/$n" ${tests_of[$n]})
		if [ "${v%%$'\t'*}" = caught ]; then
			echo "caught ($(hms $((SECONDS - s))))"
			caught+=("$n")
		else
			echo "SURVIVED ($(hms $((SECONDS - s))))"
			survived+=("$n")
		fi
		echo "    ${v#*$'\t'}"
	fi

	for p in "${files[@]}"; do
		cp "$work/pristine/$p" "$src/$p"	# a new mtime: ninja rebuilds
	done
done

# ---- summary ----

echo
M=${#sel[@]}
if [ "$build_only" = 1 ]; then
	echo "${#caught[@]}/$M mutants apply and build"
else
	echo "${#caught[@]}/$M caught"
	[ ${#survived[@]} -gt 0 ] && echo "survived: ${survived[*]}"
	[ ${#untested[@]} -gt 0 ] && echo "untested (a named test does not exist): ${untested[*]}"
fi
[ ${#broken[@]} -gt 0 ] && echo "build-broken (not a catch; fix the mutant): ${broken[*]}"
[ ${#stale[@]} -gt 0 ] && echo "does not apply any more (fix the mutant): ${stale[*]}"
echo "took $(hms $((SECONDS - t0)))"

[ ${#broken[@]} -gt 0 ] || [ ${#stale[@]} -gt 0 ] && exit 3
[ ${#survived[@]} -gt 0 ] || [ ${#untested[@]} -gt 0 ] && exit 1
exit 0
