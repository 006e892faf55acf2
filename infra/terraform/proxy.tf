# --- RDS Proxy -----------------------------------------------------------------------------------
#
# Every pod of every service keeps its own Npgsql pool of up to db_max_pool_size connections, so the
# database would see up to
#   client_connections = sum(max replicas of gateway, oauth2, control plane, console) x db_max_pool_size
# (chart defaults: (10 + 20 + 2 + 2) x 50 = 1,700), far above db_max_connections (500). The proxy takes all
# of them and multiplexes them onto at most max_connections_percent of the server's connections:
#   server_connections <= db_max_connections x db_proxy_max_connections_percent / 100 (500 x 80% = 400),
# leaving the rest for the migration Job (5), the master user and monitoring. Without the proxy, the
# check below refuses a plan whose client connections exceed what is left.

locals {
  db_client_connections = sum(values(var.service_max_replicas)) * var.db_max_pool_size
  # Kept back from the server for the migration Job, the master user, monitoring and superuser_reserved_connections.
  db_reserved_connections = 20
}

check "database_connections" {
  assert {
    condition     = var.db_proxy_enabled || local.db_client_connections <= var.db_max_connections - local.db_reserved_connections
    error_message = "Without RDS Proxy, replicas x pool size (${local.db_client_connections}) exceeds db_max_connections - ${local.db_reserved_connections}: enable db_proxy_enabled, lower db_max_pool_size or service_max_replicas, or raise db_max_connections."
  }
}

# The proxy authenticates clients against a Secrets Manager secret per role it may log in as.
resource "aws_secretsmanager_secret" "db_app" {
  count                   = var.db_proxy_enabled ? 1 : 0
  name                    = "${var.name}/db-app"
  description             = "Credentials of ${local.db_app_role}, for RDS Proxy."
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "db_app" {
  count     = var.db_proxy_enabled ? 1 : 0
  secret_id = aws_secretsmanager_secret.db_app[0].id
  secret_string = jsonencode({
    username = local.db_app_role
    password = random_password.db_app.result
  })
}

resource "aws_iam_role" "db_proxy" {
  count = var.db_proxy_enabled ? 1 : 0
  name  = "${var.name}-db-proxy"
  tags  = local.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "db_proxy" {
  count = var.db_proxy_enabled ? 1 : 0
  name  = "read-db-credentials"
  role  = aws_iam_role.db_proxy[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [aws_secretsmanager_secret.db_app[0].arn]
    }]
  })
}

resource "aws_db_proxy" "this" {
  count                  = var.db_proxy_enabled ? 1 : 0
  name                   = "${var.name}-postgres"
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.db_proxy[0].arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.db.id]
  # Clients must use TLS; the proxy's certificate is issued by Amazon Trust Services (see README, TLS).
  require_tls         = true
  idle_client_timeout = 1800
  tags                = local.tags

  auth {
    auth_scheme               = "SECRETS"
    secret_arn                = aws_secretsmanager_secret.db_app[0].arn
    iam_auth                  = "DISABLED"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
  }
}

resource "aws_db_proxy_default_target_group" "this" {
  count         = var.db_proxy_enabled ? 1 : 0
  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    max_connections_percent      = var.db_proxy_max_connections_percent
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 5
  }
}

resource "aws_db_proxy_target" "this" {
  count                  = var.db_proxy_enabled ? 1 : 0
  db_proxy_name          = aws_db_proxy.this[0].name
  target_group_name      = aws_db_proxy_default_target_group.this[0].name
  db_instance_identifier = aws_db_instance.this.identifier
}
