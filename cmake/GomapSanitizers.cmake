# Sanitizers, in one place.
#
# Two ways in, one outcome:
#   * GOMAP_SANITIZE (the presets): address (ASan+UBSan), thread (TSan),
#     undefined (UBSan alone) or memory (MSan, clang): this module adds the flags
#     to every target of the build (the library, tests, tools) so instrumented and
#     plain code never mix;
#   * -fsanitize=... in CMAKE_CXX_FLAGS (or CXXFLAGS, a build type's flags, the
#     linker flags, a parent project's add_compile_options): what a distribution
#     or a CI job passes.  Nothing is added; the sanitizers are only detected.
#
# Either way GOMAP_SANITIZERS lists the sanitizers in effect (address, thread,
# undefined, memory, hwaddress, leak, fuzzer) and the rest of the build asks
# gomap_sanitizer_allows() whether something can work under them, instead of
# testing flags itself.
include_guard(GLOBAL)

set(GOMAP_SANITIZE "" CACHE STRING
    "Sanitizers: empty, address (ASan+UBSan), thread (TSan), undefined (UBSan), memory (MSan)")
set_property(CACHE GOMAP_SANITIZE PROPERTY STRINGS "" address thread undefined memory)
if(GOMAP_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(GOMAP_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(GOMAP_SANITIZE STREQUAL "undefined")
  add_compile_options(-fsanitize=undefined -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=undefined)
elseif(GOMAP_SANITIZE STREQUAL "memory")
  add_compile_options(-fsanitize=memory -fsanitize-memory-track-origins -fno-omit-frame-pointer)
  add_link_options(-fsanitize=memory)
elseif(NOT GOMAP_SANITIZE STREQUAL "")
  message(FATAL_ERROR
          "GOMAP_SANITIZE must be empty, 'address', 'thread', 'undefined' or 'memory'")
endif()

# Every -fsanitize=/-fno-sanitize= the compiler and linker will see, in order.
string(TOUPPER "${CMAKE_BUILD_TYPE}" _gomap_bt)
get_directory_property(_gomap_dir_copts COMPILE_OPTIONS)
get_directory_property(_gomap_dir_lopts LINK_OPTIONS)
set(_gomap_all_flags "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_gomap_bt}} ${CMAKE_EXE_LINKER_FLAGS}")
string(APPEND _gomap_all_flags " ${_gomap_dir_copts} ${_gomap_dir_lopts}")
string(REPLACE ";" " " _gomap_all_flags "${_gomap_all_flags}")
string(REGEX MATCHALL "-f(no-)?sanitize=[^ ]+" _gomap_san_flags "${_gomap_all_flags}")
set(GOMAP_SANITIZERS "")
foreach(_flag IN LISTS _gomap_san_flags)
  string(REGEX REPLACE "^-f(no-)?sanitize=" "" _names "${_flag}")
  string(REPLACE "," ";" _names "${_names}")
  foreach(_n IN LISTS _names)
    set(_group FALSE)
    if(_n MATCHES "^fuzzer")  # fuzzer, fuzzer-no-link
      set(_n fuzzer)
    elseif(_n MATCHES "^(address|thread|undefined|memory|hwaddress|leak)$")
    elseif(_n MATCHES "^(signed-integer-overflow|shift|null|alignment|bounds|vptr|return|unreachable|float-divide-by-zero|integer-divide-by-zero|bool|enum|function|pointer-overflow|nonnull-attribute|returns-nonnull-attribute|vla-bound|object-size|builtin)")
      set(_n undefined)  # one of UBSan's checks
      set(_group TRUE)
    else()
      continue()  # cfi, safe-stack, integer, ...: nothing here depends on them
    endif()
    if(_flag MATCHES "^-fno-")
      if(NOT _group)  # -fno-sanitize=vptr leaves the rest of UBSan on
        list(REMOVE_ITEM GOMAP_SANITIZERS ${_n})
      endif()
    else()
      list(APPEND GOMAP_SANITIZERS ${_n})
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES GOMAP_SANITIZERS)
if(GOMAP_SANITIZERS)
  list(JOIN GOMAP_SANITIZERS ", " _gomap_san_text)
  message(STATUS "gomap: building under sanitizers: ${_gomap_san_text}")
endif()
if("memory" IN_LIST GOMAP_SANITIZERS AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "gomap: -fsanitize=memory needs clang (${CMAKE_CXX_COMPILER_ID} has no MSan)")
endif()

# gomap_sanitizer_allows(<what> <out-var> [CONTEXT <text>])
# Sets <out-var> to ON when <what> can work under GOMAP_SANITIZERS; otherwise
# OFF, and says at configure time what is left out (CONTEXT) and why.
#   replace_new   a program replacing the global operator new/delete: the TSan,
#                 MSan and HWASan runtimes define them too (clang links them
#                 statically: multiple definition).
#   uninstrumented_deps  code linked with prebuilt C++ libraries (Debian's
#                 GoogleTest, libstdc++, Google Benchmark): MSan reports every
#                 value they initialise as uninitialised unless they are rebuilt
#                 with -fsanitize=memory.
#   fuzzers       the libFuzzer harnesses, which add ASan+UBSan themselves: ASan
#                 cannot be combined with TSan, MSan or HWASan.
#   benchmarks    timing programs: meaningless under any sanitizer, and they
#                 replace operator new to count allocations.
function(gomap_sanitizer_allows what out)
  cmake_parse_arguments(A "" "CONTEXT" "" ${ARGN})
  if(what STREQUAL "replace_new")
    set(_blockers thread memory hwaddress)
  elseif(what STREQUAL "uninstrumented_deps")
    set(_blockers memory)
  elseif(what STREQUAL "fuzzers")
    set(_blockers thread memory hwaddress)
  elseif(what STREQUAL "benchmarks")
    set(_blockers ${GOMAP_SANITIZERS})
  else()
    message(FATAL_ERROR "gomap_sanitizer_allows: unknown check '${what}'")
  endif()
  foreach(_s IN LISTS _blockers)
    if(_s IN_LIST GOMAP_SANITIZERS)
      if(A_CONTEXT)
        if(what STREQUAL "replace_new")
          set(_why "it replaces operator new/delete, which the ${_s} sanitizer's runtime defines")
        elseif(what STREQUAL "uninstrumented_deps")
          set(_why "it links prebuilt libraries (GoogleTest, libstdc++) not built with "
                   "-fsanitize=${_s}, which would turn into false reports")
        elseif(what STREQUAL "fuzzers")
          set(_why "the harnesses add -fsanitize=address,undefined, which cannot be combined "
                   "with -fsanitize=${_s}")
        else()
          set(_why "timings under -fsanitize=${_s} mean nothing")
        endif()
        string(CONCAT _why ${_why})
        message(STATUS "gomap: ${A_CONTEXT} left out under -fsanitize=${_s}: ${_why}")
      endif()
      set(${out} OFF PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} ON PARENT_SCOPE)
endfunction()
