// Stack traces for the fatal report.
//
// Unwinding: glibc's backtrace() (libgcc's unwinder over .eh_frame), which
// works at -O2 without frame pointers and under ASan/UBSan/TSan alike.
// Symbolization: elfutils' libdwfl (function names from the symbol tables,
// file:line from DWARF, separate debuginfo files found the standard way),
// loaded with dlopen("libdw.so.1") only when a report is printed.  So gomap
// itself has no link dependency and consumers of the installed library need
// nothing; without libdw at run time (or without debug info) frames fall back
// to dladdr's symbol+offset, still demangled.  Why not Boost.Stacktrace or
// backtrace_symbols: see docs/detect.md.
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <type_traits>

#if __has_include(<elfutils/libdwfl.h>) && __has_include(<dwarf.h>)
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#define GOMAP_HAVE_LIBDWFL_HEADER 1
#else
#define GOMAP_HAVE_LIBDWFL_HEADER 0
#endif

#include "internal.hpp"

namespace gomap::detect::detail {
namespace {

constexpr int max_frames = 64;

// A demangled name, or the raw one when it is not a C++ mangled name.  The
// result lives until the next call (the fatal path is single-threaded).
std::string_view demangle(const char* name) noexcept {
  static char* last = nullptr;
  if (name == nullptr) return {};
  int status = -1;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || d == nullptr) return name;
  std::free(last);
  last = d;
  return d;
}

std::string_view base_name(std::string_view path) noexcept {
  const auto p = path.rfind('/');
  return p == std::string_view::npos ? path : path.substr(p + 1);
}

#if GOMAP_HAVE_LIBDWFL_HEADER
// The slice of libdw/libdwfl the report uses, resolved from libdw.so.1 at run
// time.
struct libdwfl {
#define GOMAP_DW_FN(name) decltype(&::name) name = nullptr;
// clang-format off
#define GOMAP_DW_FNS(X)                                                                       \
  X(dwfl_begin) X(dwfl_end) X(dwfl_linux_proc_report) X(dwfl_report_end) X(dwfl_addrmodule)  \
  X(dwfl_module_addrinfo) X(dwfl_module_addrdie) X(dwfl_module_getdwarf)                     \
  X(dwfl_linux_proc_find_elf) X(dwfl_standard_find_debuginfo) X(dwarf_nextcu) X(dwarf_offdie) \
  X(dwarf_haspc) X(dwarf_getsrc_die) X(dwarf_lineno) X(dwarf_linesrc)                       \
  X(dwarf_tag) X(dwarf_attr_integrate) X(dwarf_formstring) X(dwarf_formudata)              \
  X(dwarf_getsrcfiles) X(dwarf_filesrc) X(dwarf_child) X(dwarf_siblingof)
  // clang-format on
  GOMAP_DW_FNS(GOMAP_DW_FN)
#undef GOMAP_DW_FN
  Dwfl_Callbacks callbacks{};
  Dwfl* dwfl = nullptr;

  bool open() noexcept {
    void* h = ::dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return false;
    bool ok = true;
#define GOMAP_DW_GET(name)                                       \
  name = reinterpret_cast<decltype(&::name)>(::dlsym(h, #name)); \
  ok = ok && name != nullptr;
    GOMAP_DW_FNS(GOMAP_DW_GET)
#undef GOMAP_DW_GET
    if (!ok) return false;
    callbacks.find_elf = dwfl_linux_proc_find_elf;
    callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
    dwfl = dwfl_begin(&callbacks);
    if (dwfl == nullptr) return false;
    if (dwfl_linux_proc_report(dwfl, ::getpid()) != 0 ||
        dwfl_report_end(dwfl, nullptr, nullptr) != 0) {
      dwfl_end(dwfl);
      dwfl = nullptr;
      return false;
    }
    return true;
  }

  // The compilation unit holding `addr` (module-relative).  dwfl_module_addrdie
  // finds it through .debug_aranges; clang 14 emits none (DWARF 5 with
  // rnglists) and libdw 0.188 then says "address out of range", so the units
  // are also searched by their own ranges.
  bool find_cu(Dwfl_Module* mod, std::uintptr_t pc, Dwarf_Die* cu, Dwarf_Addr* addr) noexcept {
    Dwarf_Addr bias = 0;
    if (Dwarf_Die* d = dwfl_module_addrdie(mod, pc, &bias)) {
      *cu = *d;
      *addr = pc - bias;
      return true;
    }
    Dwarf* dw = dwfl_module_getdwarf(mod, &bias);
    if (dw == nullptr) return false;
    *addr = pc - bias;
    Dwarf_Off off = 0;
    Dwarf_Off next = 0;
    std::size_t header_size = 0;
    while (dwarf_nextcu(dw, off, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
      if (dwarf_offdie(dw, off + header_size, cu) != nullptr && dwarf_haspc(cu, *addr) > 0) {
        return true;
      }
      off = next;
    }
    return false;
  }

  // The name of an inlined function (through its abstract origin).
  const char* inline_name(Dwarf_Die* die) noexcept {
    Dwarf_Attribute a;
    for (const int at : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name}) {
      if (dwarf_attr_integrate(die, at, &a) != nullptr) {
        if (const char* n = dwarf_formstring(&a)) return n;
      }
    }
    return "??";
  }

  // Where an inlined function was called: DW_AT_call_file / DW_AT_call_line.
  void print_call_site(Dwarf_Die* cu, Dwarf_Die* inlined) noexcept {
    Dwarf_Attribute a;
    Dwarf_Word file = 0;
    Dwarf_Word line = 0;
    Dwarf_Files* files = nullptr;
    std::size_t nfiles = 0;
    if (dwarf_attr_integrate(inlined, DW_AT_call_file, &a) == nullptr ||
        dwarf_formudata(&a, &file) != 0 || dwarf_getsrcfiles(cu, &files, &nfiles) != 0 ||
        file >= nfiles) {
      return;
    }
    if (dwarf_attr_integrate(inlined, DW_AT_call_line, &a) == nullptr ||
        dwarf_formudata(&a, &line) != 0) {
      return;
    }
    if (const char* f = dwarf_filesrc(files, file, nullptr, nullptr)) print_location(f, line);
  }

  static void print_location(const char* file, std::uint64_t line) noexcept {
    write_err("\n        at ");
    write_err(file);
    write_err(":");
    write_err_u64(line);
  }

  // The DIEs from the compilation unit down to the innermost scope holding
  // addr, outermost first.  (dwarf_getscopes does this too, but follows every
  // inlined instance to its abstract origin on the way and can take minutes
  // on template-heavy -O2 code.)  Functions, inlined calls and blocks have pc
  // ranges; namespaces and classes have none but may hold functions.
  static constexpr int max_scope_depth = 64;
  bool find_path(Dwarf_Die* parent, Dwarf_Addr addr, Dwarf_Die* path, int& n, int depth) noexcept {
    Dwarf_Die child;
    if (depth > max_scope_depth || dwarf_child(parent, &child) != 0) return false;
    for (;;) {
      switch (dwarf_tag(&child)) {
        case DW_TAG_subprogram:
        case DW_TAG_inlined_subroutine:
        case DW_TAG_lexical_block:
        case DW_TAG_try_block:
        case DW_TAG_catch_block:
          if (dwarf_haspc(&child, addr) > 0) {
            if (n < max_scope_depth) path[n++] = child;
            find_path(&child, addr, path, n, depth + 1);
            return true;
          }
          break;
        case DW_TAG_namespace:
        case DW_TAG_class_type:
        case DW_TAG_structure_type:
        case DW_TAG_union_type:
          if (find_path(&child, addr, path, n, depth + 1)) return true;
          break;
        default:
          break;
      }
      Dwarf_Die next;
      if (dwarf_siblingof(&child, &next) != 0) return false;
      child = next;
    }
  }

  // One frame: the function (and the functions inlined into it at pc, each
  // on its own line, innermost first) with file:line; false when libdwfl
  // knows nothing about pc.
  bool print(std::uintptr_t pc) noexcept {
    Dwfl_Module* mod = dwfl_addrmodule(dwfl, pc);
    if (mod == nullptr) return false;
    GElf_Off offset = 0;
    GElf_Sym sym;
    const char* name = dwfl_module_addrinfo(mod, pc, &offset, &sym, nullptr, nullptr, nullptr);
    if (name == nullptr) return false;
    Dwarf_Die cu;
    Dwarf_Addr addr = 0;
    Dwarf_Line* line = nullptr;
    int lineno = 0;
    const char* file = nullptr;
    if (find_cu(mod, pc, &cu, &addr) && (line = dwarf_getsrc_die(&cu, addr)) != nullptr &&
        dwarf_lineno(line, &lineno) == 0) {
      file = dwarf_linesrc(line, nullptr, nullptr);
    }
    if (file == nullptr) {
      write_err(demangle(name));
      write_err(" + 0x");
      write_err_hex(offset);
      return true;
    }
    // Functions inlined at pc, innermost first.  The innermost location comes
    // from the line table; each enclosing function's location is the call
    // site recorded on the function inlined into it.
    // Functions inlined at pc, innermost first (see find_path).
    Dwarf_Die path[max_scope_depth];
    int n = 0;
    find_path(&cu, addr, path, n, 0);
    int inlined[max_scope_depth];
    int k = 0;
    for (int i = n - 1; i >= 0; --i) {
      if (dwarf_tag(&path[i]) == DW_TAG_inlined_subroutine) inlined[k++] = i;
    }
    if (k == 0) {
      write_err(demangle(name));
      print_location(file, static_cast<std::uint64_t>(lineno));
    } else {
      // GCC may nest an inlined call in another instance of the same
      // function (split parts); such repeats are shown once.
      const char* prev = inline_name(&path[inlined[0]]);
      write_err(demangle(prev));
      write_err(" (inlined)");
      print_location(file, static_cast<std::uint64_t>(lineno));
      for (int j = 1; j < k; ++j) {
        const char* n = inline_name(&path[inlined[j]]);
        if (std::strcmp(n, prev) == 0) continue;
        write_err("\n    ");
        write_err(demangle(n));
        write_err(" (inlined)");
        print_call_site(&cu, &path[inlined[j - 1]]);
        prev = n;
      }
      write_err("\n    ");
      write_err(demangle(name));
      print_call_site(&cu, &path[inlined[k - 1]]);
    }
    return true;
  }
};
#endif

// Fallback symbolization: the dynamic symbol table (needs -rdynamic for
// symbols of the executable itself), else the module and offset.
void print_with_dladdr(std::uintptr_t pc) noexcept {
  Dl_info info{};
  // NOLINTNEXTLINE(performance-no-int-to-ptr): pc is a code address from the unwinder
  if (::dladdr(reinterpret_cast<void*>(pc), &info) == 0) {
    write_err("??");
    return;
  }
  if (info.dli_sname != nullptr) {
    write_err(demangle(info.dli_sname));
    write_err(" + 0x");
    write_err_hex(pc - reinterpret_cast<std::uintptr_t>(info.dli_saddr));
  } else {
    write_err("??");
  }
  if (info.dli_fname != nullptr) {
    write_err(" in ");
    write_err(base_name(info.dli_fname));
    write_err(" + 0x");
    write_err_hex(pc - reinterpret_cast<std::uintptr_t>(info.dli_fbase));
  }
}

}  // namespace

traceback traceback_level() noexcept {
  const char* v = std::getenv("GOMAP_TRACEBACK");
  if (v == nullptr) return traceback::single;
  const std::string_view s{v};
  if (s == "none" || s == "0") return traceback::none;
  if (s == "all" || s == "2") return traceback::all;
  return traceback::single;  // "single", "1" and anything unknown, as Go does
}

namespace {
// Symbolizes and prints frames[first, n).
void print_frames(void* const* frames, int first, int n) noexcept {
#if GOMAP_HAVE_LIBDWFL_HEADER
  static libdwfl dw;
  static const bool have_dw = dw.open();
#endif
  for (int i = first; i < n; ++i) {
    // A return address points after the call; look up the call itself.
    const auto pc = reinterpret_cast<std::uintptr_t>(frames[i]) - 1;
    write_err("#");
    write_err_u64(static_cast<std::uint64_t>(i - first));
    write_err(i - first < 10 ? "  0x" : " 0x");
    write_err_hex(pc + 1);
    write_err(" ");
#if GOMAP_HAVE_LIBDWFL_HEADER
    if (!have_dw || !dw.print(pc)) print_with_dladdr(pc);
#else
    print_with_dladdr(pc);
#endif
    write_err("\n");
  }
  if (n == max_frames) write_err("...\n");
}

// GOMAP_TRACEBACK=all: another thread's stack, taken by that thread itself
// in a signal handler (the only way to unwind a running thread without
// ptrace).  One request at a time; the reporting thread waits a bounded time.
struct remote_request {
  // The thread asked to unwind itself; 0: none; -1: claimed by its handler.
  std::atomic<pid_t> target{0};
  std::atomic<bool> done{false};
  void* frames[max_frames];
  int n = 0;
};
remote_request g_remote;
constexpr pid_t claimed = -1;

void on_stack_signal(int, siginfo_t*, void*) {
  const int saved_errno = errno;
  // Only the thread asked, and only while the request stands: a signal that
  // arrives after the reporter gave up finds target changed and does nothing.
  pid_t self = static_cast<pid_t>(::syscall(SYS_gettid));
  if (g_remote.target.compare_exchange_strong(self, claimed, std::memory_order_acquire)) {
    g_remote.n = ::backtrace(g_remote.frames, max_frames);
    g_remote.done.store(true, std::memory_order_release);
  }
  errno = saved_errno;
}
}  // namespace

[[gnu::noinline]] void print_current_stack(const void* from_pc) noexcept {
  void* frames[max_frames];
  const int n = ::backtrace(frames, max_frames);
  // Start at the caller of the fatal machinery: the frame whose return
  // address is from_pc (frame counts differ between builds: inlining, the
  // sanitizers' backtrace interceptor).  If it is missing, show everything.
  int first = 0;
  while (first < n && frames[first] != from_pc) ++first;
  if (first == n) first = 0;
  print_frames(frames, first, n);
}

bool print_thread_stack(pid_t tid) noexcept {
  // The signal: one glibc leaves to applications; the process is about to
  // abort, so taking it over costs nobody anything.
  static const int stack_signal = SIGRTMAX - 1;
  static bool usable = [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_stack_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    return ::sigaction(stack_signal, &sa, nullptr) == 0;
  }();
  if (!usable) return false;
  g_remote.done.store(false, std::memory_order_relaxed);
  g_remote.target.store(tid, std::memory_order_release);
  if (::syscall(SYS_tgkill, ::getpid(), tid, stack_signal) != 0) {
    g_remote.target.store(0);
    return false;
  }
  // A thread that blocks the signal (or is kept from handling it, as TSan
  // may) goes without a stack after 2 s (generous: a loaded machine may take
  // long to schedule it).
  for (int waited_ms = 0; !g_remote.done.load(std::memory_order_acquire); ++waited_ms) {
    if (waited_ms >= 2000) {
      pid_t expected = tid;
      if (g_remote.target.compare_exchange_strong(expected, 0)) return false;
      // Its handler is unwinding right now; give it another moment, then
      // stop asking anyone (it might still be writing frames).
      if (waited_ms >= 3000) {
        usable = false;
        return false;
      }
    }
    const timespec ms{0, 1'000'000};
    ::nanosleep(&ms, nullptr);
  }
  g_remote.target.store(0, std::memory_order_relaxed);
  // Frame 0 is the handler; frame 1 the kernel's signal trampoline, which
  // marks where the thread was interrupted.
  print_frames(g_remote.frames, 1, g_remote.n);
  return true;
}

}  // namespace gomap::detect::detail
