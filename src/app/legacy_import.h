#pragma once
// The history a case from an office's old register must have had (docs/import.md): given its
// outcome and conclusion date, the events a live case would have recorded, applied through the
// workflow engine so every guard (periods, states) holds. Used by `ogi import cases`.
#include <string>

#include "workflow/engine.h"

namespace ogi {

// `c` is registered (its register event folded). Empty `outcome`: left open. `method`: how a
// reply was delivered (post, direct, electronic).
Result<Case> legacy_history(const Context& ctx, Case c, const std::string& outcome, const Date& concluded,
                            const std::string& method, const Actor& actor);

}  // namespace ogi
