// A method that handles no operation must say so with `#[oas(helper)]`; one that does not is an
// error at its name. A method named after a webhook gets its own explanation.
include!("petstore_api.rs");

struct Backend;

#[oas_macros::handlers(spec = "petstore.yaml", api = api)]
impl Backend {
    async fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        api::ListPetsResponse::Ok
    }

    async fn create_pet(&self, _request: api::CreatePetRequest) -> api::CreatePetResponse {
        api::CreatePetResponse::Created
    }

    async fn delete_pet(&self, _request: api::DeletePetRequest) -> api::DeletePetResponse {
        api::DeletePetResponse::NoContent
    }

    #[oas(helper)]
    fn connection_pool(&self) -> usize {
        4
    }

    fn cache_size(&self) -> usize {
        16
    }

    async fn new_pet(&self) {}
}

fn main() {}
