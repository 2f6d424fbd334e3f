// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -6.9517,
    weights: [
        1.9074, // coverage
        2.1501, // lead
        1.4297, // ln_score
        1.4779, // matched_share
        -0.9827, // head_missing
        -1.4694, // aspect_missing
        -0.8373, // unknown_share
        -1.3022, // single_word
        -1.6336, // head_partial
        -2.1972, // not_answered
    ],
}
