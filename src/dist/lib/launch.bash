# shellcheck shell=bash disable=SC2154  # java_cmd, class_path, warm_up_file, cds_dir: the caller's
# The java command line that runs batchwise, shared by the distribution's bin/batchwise and a
# checkout's scripts/batchwise; sourced by them, never run on its own.
#
# The caller sets, then calls `batchwise_launch "$@"`, which execs java and does not return:
#   java_cmd     the java executable
#   class_path   the class path, every jar in a fixed order
#   warm_up_file a small input for the warm-up run below (a file of sentences)
#   cds_dir      where start-up archives live; empty: no archive
#
# Contract:
# - Standard output carries only what batchwise writes: unified JVM logging, which goes to standard
#   output by default, goes to standard error, with the CDS messages off; so does the report of a
#   JVM crash (DisplayVMOutputToStderr, ErrorFileToStderr: no hs_err file in the working directory).
# - Tells batchwise whether standard error is a terminal (-Dbatchwise.stderr.tty), which Java cannot
#   ask itself; the live progress line shows only then.
# - BATCHWISE_JAVA_OPTS: more java options, split on spaces, after the launcher's own.
# - The parallel collector, unless BATCHWISE_JAVA_OPTS picks one (-XX:+Use...GC): a run is a batch
#   job whose heap stays small (the reorder window bounds it), so the collector that costs the
#   running threads least is the one to have; G1's write barriers and its concurrent threads cost the
#   reading and writing threads a quarter of their throughput on two cores (scripts/bench-pipeline),
#   and its shorter pauses buy nothing here.
# - Start-up archive (AppCDS): the JVM starts faster when the classes come mapped from an archive
#   instead of being read and verified one by one. An archive serves only the JVM and the jars (paths,
#   sizes, times) it was made with, so its name is a checksum of those, and the first launch that
#   finds none makes it, replacing the one of an earlier build of the same installation: a warm-up run of the bundled model over warm_up_file (or of the echo function
#   when the model cannot run here) lists the classes it loads, then `java -Xshare:dump` archives them,
#   picocli's included (its Java 5 class files are left out of the dynamic archives that
#   -XX:ArchiveClassesAtExit makes). That takes a few seconds, once. Every failure there is silent,
#   and an archive that does not match is ignored (-Xshare:auto): batchwise then starts without one.
#   BATCHWISE_CDS=off: never make or use one.
# - Standard streams that were closed (`batchwise run <&-`) are held open on the root directory, which
#   can be neither read nor written, and named to batchwise in -Dbatchwise.closed: otherwise the JVM's
#   first files would take their descriptors, and records would be read from, or output written into,
#   one of its own jars. batchwise then says the stream is closed, where it needs it.
# - A locale whose character set is not UTF-8 (LANG unset, as under cron or in a bare container, or
#   LANG=C) makes Java read every non-ASCII byte of the arguments and file names as '?': such a
#   locale is replaced by C.UTF-8 (as Python does, PEP 538), so `run données.txt` opens that file.
# - A BATCHWISE_JAVA_OPTS that java refuses is one line naming it, with exit 2 (a usage error), not
#   java's own exit 1, which batchwise's exit codes reserve for failed records.

batchwise_jvm_opts=(
  -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds=off:stderr -Xlog:cds+dynamic=off:stderr
  # The JVM's own fatal-error text (a crash in a native library) and its whole report go to standard
  # error, and no hs_err file lands in the working directory. (Java 17's HotSpot still writes the
  # six-line summary of a crash to standard output; later versions honour DisplayVMOutputToStderr.)
  -XX:+DisplayVMOutputToStderr -XX:+ErrorFileToStderr
  # JNA and ONNX Runtime load native libraries; Java 24 and later warn about that unless allowed.
  --enable-native-access=ALL-UNNAMED
)

# Prints the archive's path for this java and these jars, making it first if there is none; prints
# nothing when there is none and it cannot be made.
batchwise_cds_archive() {
  local java_real jars stamps place key archive partial list
  java_real=$(readlink -f "$java_cmd" 2>/dev/null || echo "$java_cmd")
  IFS=: read -r -a jars <<<"$class_path"
  stamps=$(stat -L -c '%s %Y' "$java_real" "${jars[@]}" 2>/dev/null) || return 0
  # batchwise-PLACE-KEY.jsa: PLACE names this java and installation, KEY what the archive is valid for.
  place=$(printf '%s\n' "$java_real" "${jars[0]}" | cksum | cut -d' ' -f1)
  key=$(printf '%s\n' "$class_path" "$stamps" | cksum | cut -d' ' -f1)
  archive=$cds_dir/batchwise-$place-$key.jsa
  if [[ ! -f "$archive" ]]; then
    mkdir -p "$cds_dir" 2>/dev/null && [[ -w "$cds_dir" ]] || return 0
    if [[ -t 2 ]]; then
      echo "batchwise: preparing a start-up archive for this java (once, a few seconds)" >&2
    fi
    # Made under names of their own, then renamed: a launch beside this one never sees half a file.
    partial=$archive.$$.partial
    list=$cds_dir/batchwise-$place-$key.$$.classlist
    { "$java_cmd" "${batchwise_jvm_opts[@]}" -XX:DumpLoadedClassList="$list" -Dbatchwise.stderr.tty=false \
          -cp "$class_path" dev.batchwise.cli.Main run --quiet "$warm_up_file" \
        || "$java_cmd" "${batchwise_jvm_opts[@]}" -XX:DumpLoadedClassList="$list" -Dbatchwise.stderr.tty=false \
          -cp "$class_path" dev.batchwise.cli.Main run --fn echo --quiet "$warm_up_file"; } \
      </dev/null >/dev/null 2>&1 \
      && "$java_cmd" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$partial" \
          -cp "$class_path" </dev/null >/dev/null 2>&1 \
      && rm -f "$cds_dir/batchwise-$place-"*.jsa \
      && mv -f "$partial" "$archive" 2>/dev/null
    rm -f "$partial" "$list"
    [[ -f "$archive" ]] || return 0
  fi
  echo "$archive"
}

# Holds closed standard streams open (see the contract above); prints the closed ones' names.
batchwise_hold_closed_streams() {
  local closed=()
  [[ -e /dev/fd/0 ]] || { exec 0</; closed+=(stdin); }
  [[ -e /dev/fd/1 ]] || { exec 1</; closed+=(stdout); }
  [[ -e /dev/fd/2 ]] || { exec 2</; closed+=(stderr); }
  local IFS=,
  batchwise_closed="${closed[*]-}"
}

# Exports LC_ALL=C.UTF-8 when the locale's character set is not UTF-8 and C.UTF-8 is there.
batchwise_utf8_locale() {
  local charmap
  if command -v locale >/dev/null 2>&1; then
    charmap=$(locale charmap 2>/dev/null) || charmap=
    case "$charmap" in UTF-8 | utf8 | UTF8) return 0 ;; esac
    [[ "$(LC_ALL=C.UTF-8 locale charmap 2>/dev/null)" == UTF-8 ]] && export LC_ALL=C.UTF-8
  else
    case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;; *) export LC_ALL=C.UTF-8 ;; esac
  fi
  return 0
}

batchwise_launch() {
  local tty=false archive user_opts cds_opts=() gc_opts=(-XX:+UseParallelGC) batchwise_closed why
  batchwise_hold_closed_streams
  batchwise_utf8_locale
  [[ -t 2 ]] && tty=true
  read -r -a user_opts <<<"${BATCHWISE_JAVA_OPTS:-}"
  if [[ ${#user_opts[@]} -gt 0 ]] && ! why=$("$java_cmd" "${user_opts[@]}" -version 2>&1 </dev/null); then
    why=$(printf '%s\n' "$why" | grep -v -e '^Error: Could not create the Java Virtual Machine' \
      -e '^Error: A fatal exception has occurred' | head -n 1)
    echo "batchwise: BATCHWISE_JAVA_OPTS has an option java refuses: ${why:-java exits with an error}" \
      "(BATCHWISE_JAVA_OPTS='${BATCHWISE_JAVA_OPTS}'; fix or unset it)" >&2
    exit 2
  fi
  [[ " ${user_opts[*]-} " =~ \ -XX:\+Use[A-Za-z]+GC\  ]] && gc_opts=()
  if [[ -n "$cds_dir" && "${BATCHWISE_CDS:-on}" != off ]]; then
    archive=$(batchwise_cds_archive)
    [[ -n "$archive" ]] && cds_opts=(-Xshare:auto -XX:SharedArchiveFile="$archive")
  fi
  exec "$java_cmd" "${batchwise_jvm_opts[@]}" ${gc_opts[@]+"${gc_opts[@]}"} ${cds_opts[@]+"${cds_opts[@]}"} \
      ${user_opts[@]+"${user_opts[@]}"} -Dbatchwise.stderr.tty="$tty" -Dbatchwise.closed="$batchwise_closed" \
      -cp "$class_path" dev.batchwise.cli.Main "$@"
}
