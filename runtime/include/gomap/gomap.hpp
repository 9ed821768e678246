// <gomap/gomap.hpp> — everything.
#pragma once

#include "gomap/detect.hpp"
#include "gomap/hash.hpp"
#include "gomap/map.hpp"
#include "gomap/maps.hpp"
#include "gomap/panic.hpp"
#include "gomap/swiss_map.hpp"

#if __has_include("gomap/sync_map.hpp")
#include "gomap/sync_map.hpp"
#endif
#if __has_include("gomap/hash_trie_map.hpp")
#include "gomap/hash_trie_map.hpp"
#endif
#if __has_include("gomap/sharded_map.hpp")
#include "gomap/sharded_map.hpp"
#endif
