# --- hand-off to charts/latchkey -------------------------------------------------------------------
#
# The Secret the chart reads (keys as in charts/latchkey/values.yaml), the database CA it mounts, and the
# release itself, so nothing is copied by hand. The kubernetes and helm providers are configured by the
# caller (see README). Set install_chart = false to stop at the Secret (e.g. when Argo CD installs the chart).

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0
  metadata {
    name = var.kubernetes_namespace
  }
}

locals {
  namespace = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.kubernetes_namespace

  runtime_secret = {
    "database-url"            = local.database_url
    "migration-database-url"  = local.migration_database_url
    "redis-url"               = local.redis_url
    "secrets-system"          = aws_secretsmanager_secret_version.system.secret_string
    "bootstrap-workspace-key" = "lk_wak_${random_password.bootstrap_workspace_key.result}"
  }
}

resource "kubernetes_secret_v1" "runtime" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = { "app.kubernetes.io/part-of" = "latchkey", "app.kubernetes.io/managed-by" = "terraform" }
  }
  data = local.runtime_secret
}

# The CA bundle that VerifyFull checks the database's certificate against: the RDS bundle (the instance,
# for migrations) and Amazon's roots (RDS Proxy), concatenated (README, TLS).
resource "kubernetes_config_map_v1" "db_ca" {
  metadata {
    name      = "${var.name}-db-ca"
    namespace = local.namespace
  }
  data = {
    (var.db_ca_key) = var.db_ca_bundle_pem
  }
}

resource "helm_release" "latchkey" {
  count     = var.install_chart ? 1 : 0
  name      = var.name
  namespace = local.namespace
  chart     = coalesce(var.chart_path, "${path.module}/../../charts/latchkey")
  values    = var.chart_values
  # The pre-install migration Job must finish before the release counts as installed.
  wait    = true
  timeout = 900

  set {
    name  = "domain"
    value = var.domain
  }

  set {
    name  = "secret.name"
    value = kubernetes_secret_v1.runtime.metadata[0].name
  }

  set {
    name  = "secret.create"
    value = "false"
  }

  # The migration Job connects as the schema owner; the pods as the app role.
  set {
    name  = "secret.keys.migrationDatabaseUrl"
    value = "migration-database-url"
  }

  set {
    name  = "databaseCA.configMap"
    value = kubernetes_config_map_v1.db_ca.metadata[0].name
  }

  set {
    name  = "databaseCA.key"
    value = var.db_ca_key
  }

  set {
    name  = "databaseCA.mountPath"
    value = var.db_ca_mount_path
  }

  # The chart cannot see a change to a Secret it does not create: this annotation rolls the pods when
  # Terraform changes it (a rotated password, a new endpoint).
  set {
    name  = "podAnnotations.checksum/terraform-secret"
    value = sha256(jsonencode(local.runtime_secret))
  }
}
