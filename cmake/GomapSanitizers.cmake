# Sanitizer switches, chosen by the presets.  Applied to every target of the
# build (the library, tests, tools) so instrumented and plain code never mix.
set(GOMAP_SANITIZE "" CACHE STRING "Sanitizers: empty, address (ASan+UBSan), thread (TSan)")
if(GOMAP_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(GOMAP_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT GOMAP_SANITIZE STREQUAL "")
  message(FATAL_ERROR "GOMAP_SANITIZE must be empty, 'address' or 'thread'")
endif()
