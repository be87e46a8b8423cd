# Warnings are errors in our own code; third-party headers come in as SYSTEM includes.
function(seer_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic
    -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough -Werror
    # C++20 designated initializers leave defaulted members out on purpose.
    -Wno-missing-field-initializers>
    # CUDA sources: nvcc's own warnings are errors, and the host compiler's.
    $<$<COMPILE_LANGUAGE:CUDA>:-Werror=all-warnings -Xcompiler=-Wall,-Wextra,-Werror>)
endfunction()
