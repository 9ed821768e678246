// The sync_map tests keep a tenth of their budgets under ASan and TSan.
#pragma once

#include "../common/test_scale.hpp"
