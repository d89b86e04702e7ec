# The indicators this addon turns into early warnings.
WARNING_INDICATORS = (
    "lianghua_cost.indicator_budget_consumption",
    "lianghua_cost.indicator_cost_variance",
)


def uninstall_hook(env):
    """The cost indicators stop warning with the addon that made them warn:
    the category of the risks they would raise goes with it."""
    indicators = env["lianghua.indicator"]
    for xmlid in WARNING_INDICATORS:
        indicators |= env.ref(xmlid, raise_if_not_found=False) or indicators
    indicators.write({"lianghua_early_warning": False})
