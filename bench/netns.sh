# A private network of network namespaces standing in for a cluster's pod network, for bench/partitions.sh and
# bench/soak.sh (source it after lib.sh; needs root, iproute2 and nftables). Each "pod" gets a namespace of its own with
# one veth link to a router namespace, which forwards between them; a partition between two pods is an nftables rule in
# the router's forward chain, either rejecting with a TCP reset (refused: both ends learn at once) or dropping every
# packet (black-holed: only timeouts end a call). Nothing is added to the machine's own namespace: the script's
# clients (curl, wrk, psql) run in a namespace of their own too, so no route or address of the host changes.
# Every name carries "p24-<pid>"; the namespaces (and the veths inside them) are deleted on every exit.
#   net_up POD...            creates the router and one namespace per POD, with addresses (net_addr POD) and routes
#   in_pod POD CMD...        runs CMD in POD's namespace
#   net_cut A B refused|dropped    cuts the link between pods A and B, both directions (new and established connections)
#   net_heal                 removes every cut
# shellcheck shell=bash

net_prefix="p24-$$"
net_router="$net_prefix-router"
declare -A net_index=()
net_pods=()

net_require() {
  [[ $(id -u) == 0 ]] || fail "network namespaces need root"
  local tool package
  for tool in ip:iproute2 nft:nftables; do
    package=${tool#*:} tool=${tool%%:*}
    PATH=$PATH:/usr/sbin command -v "$tool" > /dev/null && continue
    log "Installing $package..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" > "$work/apt-$package.log" 2>&1 ||
      fail "apt-get install $package: $(tail -n 5 "$work/apt-$package.log")"
  done
  PATH=$PATH:/usr/sbin
}

net_namespace() { echo "$net_prefix-$1"; }

# net_addr POD: the pod's address (10.24.N.2 on the link to the router; nothing outside these namespaces uses it).
net_addr() { echo "10.24.${net_index[$1]}.2"; }

in_pod() {
  local pod=$1
  shift
  ip netns exec "$(net_namespace "$pod")" "$@"
}

net_down() {
  local pod
  for pod in "${net_pods[@]}"; do ip netns delete "$(net_namespace "$pod")" 2> /dev/null || true; done
  ip netns delete "$net_router" 2> /dev/null || true
}

net_up() {
  net_require
  cleanup_hooks+=(net_down)
  ip netns add "$net_router"
  ip -n "$net_router" link set lo up
  ip netns exec "$net_router" sysctl -qw net.ipv4.ip_forward=1
  local pod n=0 namespace
  for pod in "$@"; do
    n=$((n + 1))
    net_index[$pod]=$n
    net_pods+=("$pod")
    namespace=$(net_namespace "$pod")
    ip netns add "$namespace"
    ip -n "$namespace" link set lo up
    # Created straight inside both namespaces, so the names never meet the host's interfaces.
    ip link add "r$n" netns "$net_router" type veth peer name eth0 netns "$namespace"
    ip -n "$net_router" addr add "10.24.$n.1/24" dev "r$n"
    ip -n "$net_router" link set "r$n" up
    ip -n "$namespace" addr add "10.24.$n.2/24" dev eth0
    ip -n "$namespace" link set eth0 up
    ip -n "$namespace" route add default via "10.24.$n.1"
  done
  ip netns exec "$net_router" nft -f - <<'RULES'
table inet partitions {
  chain forward {
    type filter hook forward priority 0; policy accept;
  }
}
RULES
}

net_cut() {
  local a b verdict
  a=$(net_addr "$1") b=$(net_addr "$2")
  case $3 in
    refused) verdict="reject with tcp reset" ;;
    dropped) verdict="drop" ;;
    *) fail "net_cut: refused or dropped, not $3" ;;
  esac
  # Only TCP is reset; anything else on a refused link is dropped (the services speak TCP alone).
  ip netns exec "$net_router" nft add rule inet partitions forward ip saddr "$a" ip daddr "$b" meta l4proto tcp "$verdict"
  ip netns exec "$net_router" nft add rule inet partitions forward ip saddr "$b" ip daddr "$a" meta l4proto tcp "$verdict"
  ip netns exec "$net_router" nft add rule inet partitions forward ip saddr "$a" ip daddr "$b" drop
  ip netns exec "$net_router" nft add rule inet partitions forward ip saddr "$b" ip daddr "$a" drop
}

net_heal() { ip netns exec "$net_router" nft flush chain inet partitions forward; }
